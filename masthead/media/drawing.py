"""Pictures drawn in code, so the demo site ships no binary files."""

import io

from PIL import Image, ImageDraw


def harbour_at_dusk(width: int = 1200, height: int = 675) -> bytes:
    """A stylised harbour front at dusk with a domed civic building, as PNG bytes."""
    picture = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(picture)
    horizon = int(height * 0.62)
    for y in range(horizon):
        t = y / horizon
        colour = (int(40 + 200 * t), int(50 + 90 * t), int(110 - 30 * t))
        draw.line([(0, y), (width, y)], fill=colour)
    for y in range(horizon, height):
        t = (y - horizon) / (height - horizon)
        draw.line([(0, y), (width, y)], fill=(int(30 + 20 * t), int(45 + 25 * t), int(80 + 20 * t)))
    sun_x, sun_y = int(width * 0.72), horizon - 30
    draw.ellipse([sun_x - 60, sun_y - 60, sun_x + 60, sun_y + 60], fill=(250, 190, 110))
    base = horizon
    hall_left, hall_right = int(width * 0.22), int(width * 0.48)
    draw.rectangle([hall_left, base - 170, hall_right, base], fill=(28, 30, 48))
    centre = (hall_left + hall_right) // 2
    draw.rectangle([centre - 60, base - 230, centre + 60, base - 170], fill=(28, 30, 48))
    draw.pieslice([centre - 70, base - 300, centre + 70, base - 160], 180, 360, fill=(28, 30, 48))
    for column in range(hall_left + 20, hall_right - 10, 34):
        draw.rectangle([column, base - 140, column + 10, base - 10], fill=(60, 62, 84))
    for x in range(0, width, 90):
        draw.rectangle([x, base - 40 - (x * 7) % 60, x + 70, base], fill=(22, 24, 38))
    for offset, mast in ((0.08, 120), (0.58, 150), (0.86, 100)):
        hull_x = int(width * offset)
        draw.polygon(
            [(hull_x, base + 40), (hull_x + 160, base + 40), (hull_x + 135, base + 75),
             (hull_x + 20, base + 75)],
            fill=(15, 18, 30),
        )  # fmt: skip
        draw.line(
            [(hull_x + 80, base + 40), (hull_x + 80, base + 40 - mast)], fill=(15, 18, 30), width=5
        )
    for y in range(horizon + 10, height, 18):
        draw.line([(sun_x - 90, y), (sun_x + 90, y)], fill=(200, 150, 100), width=2)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()

"""Fetching an imported site's pictures, never from inside our own network."""

import ipaddress
import socket
import urllib.request
from urllib.parse import urlsplit

from django.core.files.base import ContentFile

MAX_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 15


class MediaRefusedError(Exception):
    pass


def public_address_or_raise(url: str) -> None:
    """Refuse URLs that point at private, loopback, link-local or otherwise internal hosts."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MediaRefusedError(f"{url}: only http and https addresses are fetched")
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as error:
        raise MediaRefusedError(f"{url}: cannot resolve {parts.hostname}") from error
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global or address.is_multicast:
            raise MediaRefusedError(f"{url}: {address} is not a public address")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect could lead to an internal address after the check; follow none.
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise MediaRefusedError(f"{req.full_url}: redirects to {newurl}; not followed")


def fetch_into(image, url: str) -> None:
    public_address_or_raise(url)
    opener = urllib.request.build_opener(_NoRedirects)
    with opener.open(url, timeout=TIMEOUT_SECONDS) as response:
        data = response.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise MediaRefusedError(f"{url}: larger than {MAX_BYTES // (1024 * 1024)} MB")
    name = urlsplit(url).path.rsplit("/", 1)[-1] or "picture"
    image.file.save(name, ContentFile(data), save=True)

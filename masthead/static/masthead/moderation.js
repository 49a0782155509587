// The moderators' queue (/moderate/): keyboard shortcuts, and actions sent in the background.
// j / k move between comments, a / s / r / b press the selected comment's Approve (or Restore),
// Spam, Remove and Ban buttons, x ticks it for a bulk action, o opens it. Every button is an
// ordinary form too, so the pages work the same without this file.
(() => {
  "use strict";
  const list = document.querySelector(".mod-list");
  if (!list) return;
  const live = document.getElementById("mod-live");
  const keyed = { a: true, s: true, r: true, b: true };
  let current = null;

  const items = () => Array.from(list.querySelectorAll(".mod-item"));

  function select(item) {
    if (current) current.classList.remove("is-selected");
    current = item || null;
    if (!current) return;
    current.classList.add("is-selected");
    current.focus({ preventScroll: true });
    current.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    const all = items();
    if (!all.length) return;
    const index = all.indexOf(current);
    const next = index < 0 ? 0 : Math.min(Math.max(index + step, 0), all.length - 1);
    select(all[next]);
  }

  function announce(text) {
    if (!live) return;
    live.replaceChildren(Object.assign(document.createElement("p"), { textContent: text }));
  }

  function showCounts(counts) {
    for (const [name, value] of Object.entries(counts || {})) {
      for (const element of document.querySelectorAll(`[data-count="${name}"]`)) {
        element.textContent = value;
      }
    }
  }

  function isTyping(target) {
    const field = target.closest("textarea, select, [contenteditable], input");
    if (!field) return false;
    return !(field.tagName === "INPUT" && ["checkbox", "radio", "submit", "button"].includes(field.type));
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event.target)) return;
    const key = event.key;
    if (key === "j") move(1);
    else if (key === "k") move(-1);
    else if (keyed[key]) {
      if (!current) move(0);
      const button = current && current.querySelector(`button[data-key="${key}"]`);
      if (!button) return;
      button.click();
    } else if (key === "x" && current) {
      const box = current.querySelector(".mod-select");
      if (box) box.checked = !box.checked;
    } else if (key === "o" && current) {
      const link = current.querySelector(".mod-item-title a");
      if (link) window.location.assign(link.href);
    } else return;
    event.preventDefault();
  });

  list.addEventListener("click", (event) => {
    const item = event.target.closest(".mod-item");
    if (item && item !== current) select(item);
  });

  list.addEventListener("submit", async (event) => {
    const form = event.target.closest("form.mod-actions");
    if (!form) return;
    event.preventDefault();
    const button = event.submitter;
    const item = form.closest(".mod-item");
    const data = new FormData(form, button);
    item.setAttribute("aria-busy", "true");
    try {
      // Not form.action: the buttons are named "action", and a named control shadows it.
      const response = await fetch(form.getAttribute("action"), {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const result = await response.json();
      if (!response.ok) {
        announce((result.errors || ["That did not work."]).join(" "));
        return;
      }
      announce(result.message);
      showCounts(result.counts);
      if (list.dataset.after !== "remove" || (button && button.value === "approve_commenter")) {
        window.location.reload();
        return;
      }
      const index = items().indexOf(item);
      item.remove();
      const left = items();
      select(left[Math.min(index, left.length - 1)]);
      if (!left.length) {
        list.append(Object.assign(document.createElement("p"), {
          className: "empty mod-empty", textContent: "Nothing left on this page.",
        }));
      }
    } catch (error) {
      // Fall back to an ordinary post, carrying the pressed button's value.
      if (button && button.name) {
        form.append(Object.assign(document.createElement("input"), {
          type: "hidden", name: button.name, value: button.value,
        }));
      }
      form.submit();
    } finally {
      item.removeAttribute("aria-busy");
    }
  });

  for (const button of document.querySelectorAll("button[data-confirm]")) {
    button.addEventListener("click", (event) => {
      if (!window.confirm(button.dataset.confirm)) event.preventDefault();
    });
  }

  const pageToggle = document.querySelector(".mod-select-page");
  if (pageToggle) {
    pageToggle.hidden = false;
    pageToggle.addEventListener("click", () => {
      const boxes = list.querySelectorAll(".mod-select");
      const tick = Array.from(boxes).some((box) => !box.checked);
      for (const box of boxes) box.checked = tick;
    });
  }

  const wanted = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (wanted && wanted.classList.contains("mod-item")) select(wanted);
})();

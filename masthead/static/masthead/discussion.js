// Discussion: how htmx treats the thread's answers, and closing an inline reply form.
// Loaded with `defer` after htmx, so this runs before htmx starts on DOMContentLoaded.
(function () {
  "use strict";
  if (window.htmx) {
    // The Content Security Policy blocks the <style> htmx would inject; site.css has the rules.
    htmx.config.includeIndicatorStyles = false;
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "304", swap: false }, // a poll of an unchanged thread
      { code: "[23]..", swap: true },
      { code: "40[03]|409|422|429", swap: true }, // form errors and closed posts come as fragments
      { code: "[45]..", swap: false, error: true },
    ];
  }
  // After a swap, keyboard and screen-reader focus goes where the eyes go: the comment just
  // posted, shown or saved (an edit form focuses its own textarea).
  document.addEventListener("htmx:afterSettle", function (event) {
    const elt = event.detail.elt;
    let target = null;
    if (elt.dataset && elt.dataset.focus) {
      target = document.getElementById(elt.dataset.focus);
    } else if (elt.matches && elt.matches("article.comment:not(.is-editing)")) {
      target = elt;
    }
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  });
  // A comment added in place names itself in the answer's HX-Trigger-After-Settle header.
  document.addEventListener("masthead:focus", function (event) {
    const target = document.getElementById(event.detail.value);
    if (!target) return;
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  });
  document.addEventListener("click", function (event) {
    const cancel = event.target.closest(".reply-slot .cancel-reply");
    if (!cancel) return;
    event.preventDefault();
    const slot = cancel.closest(".reply-slot");
    const reply = slot.closest(".comment").querySelector(".comment-reply");
    slot.replaceChildren();
    if (reply) reply.focus();
  });
})();

// Zhulao page behaviour. Loaded as a file (strict CSP: no inline script).
document.addEventListener("DOMContentLoaded", function () {
  // Ask before any form marked data-confirm is submitted.
  document.body.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  // After a form is sent, disable its submit buttons so a double click sends one request
  // (deferred so the clicked button's name/value is still part of the submission).
  document.body.addEventListener("submit", function (event) {
    if (event.defaultPrevented) { return; }
    var form = event.target;
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
  // The menu button opens and closes the menu; a message's close button removes it. (Bootstrap's own
  // JavaScript is not loaded on every page: this is all the base layout needs of it.)
  document.body.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-bs-toggle=collapse]");
    if (toggle) {
      var target = document.querySelector(toggle.getAttribute("data-bs-target"));
      if (target) {
        var open = target.classList.toggle("show");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
        toggle.classList.toggle("collapsed", !open);
      }
      return;
    }
    var dismiss = event.target.closest("[data-bs-dismiss=alert]");
    if (dismiss) {
      var alert = dismiss.closest(".alert");
      if (alert) { alert.remove(); }
    }
  });
  // htmx forms stay on the page: enable their buttons again when the request is over.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelectorAll) {
      elt.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    }
  });
});

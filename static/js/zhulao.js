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
  // htmx forms stay on the page: enable their buttons again when the request is over.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.querySelectorAll) {
      elt.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = false; });
    }
  });
});

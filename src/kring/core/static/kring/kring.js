// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary after a failed submit, so screen readers announce it.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
    // Signing out clears what the plan editor kept on this device (conference/plan.js).
    document.querySelectorAll("form[action$='/uitloggen/']").forEach(function (form) {
      form.addEventListener("submit", function () {
        document.documentElement.setAttribute("data-signing-out", "");
        try {
          Object.keys(window.localStorage).filter(function (key) {
            return key.indexOf("kring-plan-") === 0;
          }).forEach(function (key) { window.localStorage.removeItem(key); });
        } catch (e) { /* no storage */ }
      });
    });
    // Confirmation for destructive buttons marked data-confirm (text comes from the page).
    document.querySelectorAll("[data-confirm]").forEach(function (el) {
      el.addEventListener("click", function (event) {
        if (!window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
      });
    });
  });
})();

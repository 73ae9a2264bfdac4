/* Names and focus the theme leaves out (axe-core, tests/test_a11y_browser.py): the search dialog
   gets a name, each code block's button bar a distinct one, and a table that scrolls sideways can
   be reached and scrolled with the keyboard. Runs on every page (mkdocs.yml extra_javascript). */
(function () {
  "use strict";
  function fix() {
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (el) {
      el.setAttribute("aria-label", "Search");
    });
    document.querySelectorAll("nav.md-code__nav").forEach(function (el, i) {
      el.setAttribute("aria-label", "Code block " + (i + 1) + " actions");
    });
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (el) {
      if (el.scrollWidth > el.clientWidth) {
        el.setAttribute("tabindex", "0");
        el.setAttribute("role", "region");
        el.setAttribute("aria-label", "Table (scrolls sideways)");
      }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fix);
  else fix();
  window.addEventListener("load", fix);  /* the theme adds the code blocks' bars after load */
})();

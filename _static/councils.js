/* Phones and tablets: the menu and contents buttons open their sidebars.
 *
 * sphinx-book-theme 1.3.0 with pydata-sphinx-theme 0.17.1 puts two `.primary-toggle` and two
 * `.secondary-toggle` buttons on every page: a hidden one in the site header and the visible one in
 * the article header. Both themes bind their handlers with `querySelector`, that is to the first
 * (hidden) copy only, so a tap on the visible button does nothing (pydata-sphinx-theme #2451,
 * sphinx-book-theme #988). A tap on any later copy is handed to the first, which then behaves as the
 * themes intend: a dialog on narrow screens, a collapsing sidebar on wide ones. Remove this file when
 * the pinned themes bind every copy (the sidebars would then toggle twice per tap).
 */
(function () {
  "use strict";

  function handTapsToFirst(selector) {
    const [bound, ...unbound] = document.querySelectorAll(selector);
    if (!bound) return;
    unbound.forEach((button) => {
      button.addEventListener("click", (event) => {
        event.preventDefault();
        event.stopPropagation();
        bound.click();
      });
    });
  }

  function setUp() {
    handTapsToFirst(".primary-toggle");
    handTapsToFirst(".secondary-toggle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

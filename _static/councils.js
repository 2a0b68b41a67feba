/* The book's own script (one file: every script is a request on every page). Deferred (councils/sphinxext.py),
   except on the search page. */
(function () {
  "use strict";

  /* Phones and tablets: the menu and contents buttons open their sidebars.
   *
   * sphinx-book-theme 1.3.0 with pydata-sphinx-theme 0.17.1 puts two `.primary-toggle` and two
   * `.secondary-toggle` buttons on every page: a hidden one in the site header and the visible one in
   * the article header. Both themes bind their handlers with `querySelector`, that is to the first
   * (hidden) copy only, so a tap on the visible button does nothing (pydata-sphinx-theme #2451,
   * sphinx-book-theme #988). A tap on any later copy is handed to the first, which then behaves as the
   * themes intend: a dialog on narrow screens, a collapsing sidebar on wide ones. Remove this part when
   * the pinned themes bind every copy (the sidebars would then toggle twice per tap).
   */
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

  /* The language link keeps the reader's place. Both editions give every section the same positional
   * id (`sec-2-1`, councils/sphinxext.py); figures (`fig-3`) and the questionnaire's questions
   * (`q-chair_background`) have the same ids in both. The place is the element the address points
   * to, or else the section whose heading the reader has scrolled past last.
   */
  const SHARED = /^(sec-[\d-]+|fig-\d+|q-[\w-]+)$/;

  function positional(section) {
    const span = section && section.querySelector(':scope > span[id^="sec-"]');
    return span ? span.id : "";
  }

  function sectionInView() {
    const top = (document.querySelector(".bd-header-article")?.getBoundingClientRect().bottom ?? 0) + 8;
    let found = null;
    for (const heading of document.querySelectorAll("article.bd-article section > :is(h1, h2, h3, h4)")) {
      if (heading.getBoundingClientRect().top <= top) found = heading.parentElement;
      else break;
    }
    return found;
  }

  function place() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const target = hash ? document.getElementById(hash) : null;
    if (target && SHARED.test(hash)) return hash;
    if (target) return positional(target.closest("section"));
    if (window.scrollY < 40) return "";
    return positional(sectionInView());
  }

  function keepPlace(link) {
    const base = link.getAttribute("href").split("#")[0];
    const update = () => {
      const anchor = place();
      link.setAttribute("href", anchor ? `${base}#${anchor}` : base);
    };
    ["pointerdown", "focus", "click"].forEach((type) => link.addEventListener(type, update));
  }

  /* Search results show text, not the data format's codes: the snippet of a page is taken from its
   * text less its codes (`civil_servant`), its charts' drawings and its numbers tables' downloads.
   * Sphinx's searchtools.js loads on the search page only.
   */
  function searchSnippetsWithoutCodes() {
    // searchtools.js declares `const Search` at the top level: a global name, not a property of window.
    const search = typeof Search === "undefined" ? null : Search;  // eslint-disable-line no-undef
    if (!search || typeof search.htmlToText !== "function" || search.htmlToText.councils) return;
    const original = search.htmlToText;
    const cleaned = (htmlString, anchor) => {
      const doc = new DOMParser().parseFromString(htmlString, "text/html");
      doc.querySelectorAll("code, .councils-chart, a.councils-download, .councils-provenance").forEach((el) => el.remove());
      return original(doc.documentElement.outerHTML, anchor);
    };
    cleaned.councils = true;
    search.htmlToText = cleaned;
  }

  function setUp() {
    // On the search page this script runs before searchtools.js, whose search starts when the page has
    // loaded: this listener was registered first, so the snippets are cleaned before any is made.
    searchSnippetsWithoutCodes();
    handTapsToFirst(".primary-toggle");
    handTapsToFirst(".secondary-toggle");
    document.querySelectorAll("a.councils-language").forEach(keepPlace);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();

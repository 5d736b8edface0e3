/* Language switch and Colab link for the two separately rendered sites _book/en and _book/de.
 *
 * Pages live at  <root>/en/index.html  and  <root>/en/chapters/en/<stem>.html  (same for de), decks
 * at <root>/en/slides/<stem>.html, so the same page in the other language is found by swapping the
 * language:
 *   …/en/chapters/en/03-padding.html  <->  …/de/chapters/de/03-padding.html
 *   …/en/slides/03-padding.html       <->  …/de/slides/03-padding.html
 *   …/en/index.html                   <->  …/de/index.html
 * The navbar link whose href ends in "#cfs-lang-switch" (from _quarto-en.yml/_quarto-de.yml; Quarto
 * writes it relative to the page, e.g. "../../#cfs-lang-switch") gets the mapped URL. Pages
 * without a navbar (decks) get a small link in the top right corner instead. Chapter pages also get an
 * "Open in Colab" link to notebooks/<lang>/<stem>.ipynb in the configured repository
 * (window.CFS_BOOK = {repoUrl, branch}, written into _lang-switch.html by scripts/book.py).
 */
(function (root) {
  "use strict";

  var LANGS = ["en", "de"];
  var LABEL = { en: "English", de: "Deutsch" };
  var SUBPAGE = /^(.*\/)(en|de)\/(chapters)\/(en|de)\/([^\/]*)$/;
  var DECK = /^(.*\/)(en|de)\/slides\/([^\/]*)$/;
  var TOPPAGE = /^(.*\/)(en|de)\/([^\/]*)$/;

  /* Parse a URL path into {prefix, lang, kind, file} or null when it is not a book page. */
  function parsePath(path) {
    var m = SUBPAGE.exec(path);
    if (m) {
      if (m[4] !== m[2]) return null;                // …/en/chapters/de/… is not one of our pages
      return { prefix: m[1], lang: m[2], kind: m[3], file: m[5] };
    }
    m = DECK.exec(path);
    if (m) return { prefix: m[1], lang: m[2], kind: "slides", file: m[3] };
    m = TOPPAGE.exec(path);
    if (!m) return null;
    return { prefix: m[1], lang: m[2], kind: null, file: m[3] };
  }

  function other(lang) { return lang === "en" ? "de" : "en"; }

  /* The path of the same page in language `target` (default: the other one), or null. */
  function switchPath(path, target) {
    var p = parsePath(path);
    if (!p) return null;
    var lang = target || other(p.lang);
    if (LANGS.indexOf(lang) < 0) return null;
    var middle = p.kind === "chapters" ? "chapters/" + lang + "/" : p.kind === "slides" ? "slides/" : "";
    return p.prefix + lang + "/" + middle + p.file;
  }

  /* Colab URL of the notebook behind a chapter page, or null for other pages. */
  function colabUrl(path, repoUrl, branch) {
    var p = parsePath(path);
    if (!p || p.kind !== "chapters" || !/\.html$/.test(p.file) || !repoUrl) return null;
    var stem = p.file.replace(/\.html$/, "");
    if (stem === "index") return null;
    var gh = repoUrl.replace(/\/+$/, "").replace(/^https?:\/\/github\.com\//, "");
    return "https://colab.research.google.com/github/" + gh + "/blob/" + (branch || "main") +
      "/notebooks/" + p.lang + "/" + stem + ".ipynb";
  }

  function install(doc, loc) {
    var p = parsePath(loc.pathname);
    if (!p) return;
    var href = switchPath(loc.pathname) + (loc.search || "") + (loc.hash && loc.hash !== "#cfs-lang-switch" ? loc.hash : "");
    var label = LABEL[other(p.lang)];
    var links = doc.querySelectorAll('a[href$="#cfs-lang-switch"]');
    if (links.length === 0) {
      var a = doc.createElement("a");
      a.className = "cfs-lang-switch cfs-lang-switch-floating";
      a.style.cssText = "position:fixed;right:.6rem;top:.6rem;z-index:1000;padding:.25rem .6rem;" +
        "border-radius:.3rem;background:#f4f4f4;color:#333;font:14px sans-serif;text-decoration:none;";
      doc.body.appendChild(a);
      links = [a];
    }
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("href", href);
      links[i].setAttribute("hreflang", other(p.lang));
      links[i].classList.add("cfs-lang-switch");
      var text = links[i].querySelector(".menu-text") || links[i];
      text.textContent = label;
    }
    var cfg = root.CFS_BOOK || {};
    var colab = colabUrl(loc.pathname, cfg.repoUrl, cfg.branch);
    var title = doc.querySelector("#title-block-header, header#title-block-header, main h1");
    if (colab && title && !doc.querySelector("a.cfs-colab")) {
      var c = doc.createElement("a");
      c.className = "cfs-colab";
      c.href = colab;
      c.textContent = p.lang === "de" ? "In Colab öffnen" : "Open in Colab";
      c.style.cssText = "display:inline-block;margin:.3rem 0 .8rem;font-size:.9rem;";
      title.parentNode.insertBefore(c, title.nextSibling);
    }
  }

  var api = { parsePath: parsePath, switchPath: switchPath, colabUrl: colabUrl, install: install };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.cfsLangSwitch = api;
    var run = function () { install(root.document, root.location); };
    if (root.document.readyState === "loading") root.document.addEventListener("DOMContentLoaded", run);
    else run();
  }
})(typeof window !== "undefined" ? window : globalThis);

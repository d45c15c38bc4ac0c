// What every page gains with JavaScript; each page works without it.
// No inline styles (the CSP refuses them): sizes are set through the CSSOM, which it allows.
(function () {
  "use strict";

  // The page's words, in its language: the template puts them on this script's element.
  var words = document.currentScript ? document.currentScript.dataset : {};

  // --- The skip link moves the focus itself: a page's own script (Swagger UI's router)
  // may take the address's fragment for its own and leave the focus where it was. ---
  function skipLinkFocuses() {
    var skip = document.querySelector("a.skip");
    if (!skip) return;
    skip.addEventListener("click", function (event) {
      var target = document.getElementById(skip.getAttribute("href").slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
    });
  }

  // --- A focused cell is never under a table's sticky column or header (WCAG 2.4.11). ---
  function padScrollBoxes() {
    document.querySelectorAll(".scroll").forEach(function (box) {
      var column = box.querySelector("thead th.model");
      var head = box.querySelector("thead");
      if (column) box.style.scrollPaddingLeft = column.getBoundingClientRect().width + "px";
      if (head) box.style.scrollPaddingTop = head.getBoundingClientRect().height + "px";
    });
  }

  // Focus moved by Tab scrolls a box only as far as the browser likes: sometimes under the
  // sticky column, sometimes half out of the box. Bring the whole link into view.
  function keepFocusInView(event) {
    var target = event.target;
    var box = target.closest && target.closest(".scroll");
    if (!box || target.closest("th.model, td.model")) return;
    // After the browser's own scrolling, which follows the focus event.
    window.requestAnimationFrame(function () { bringIntoView(box, target); });
  }

  function bringIntoView(box, target) {
    var column = box.querySelector("thead th.model");
    var edge = box.getBoundingClientRect();
    var left = column ? column.getBoundingClientRect().right : edge.left + box.clientLeft;
    var right = edge.left + box.clientLeft + box.clientWidth;  // inside border and scroll bar
    var shown = target.getBoundingClientRect();
    var room = 4;  // for the focus outline
    if (shown.left < left + room) box.scrollLeft -= left + room - shown.left;
    else if (shown.right > right - room) {
      box.scrollLeft += Math.min(shown.right - right + room, shown.left - left - room);
    }
  }

  // --- A box that scrolls (a chart wider than the screen) can be reached by keyboard. ---
  function focusableWhileScrolling(box) {
    var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
    if (scrolls && !box.hasAttribute("tabindex")) {
      box.tabIndex = 0;
      box.dataset.scrollFocus = "yes";
    } else if (!scrolls && box.dataset.scrollFocus) {
      box.removeAttribute("tabindex");
      delete box.dataset.scrollFocus;
    }
  }

  function watchScrollingCharts() {
    var charts = document.querySelectorAll(".vega-chart");
    if (!charts.length || !window.ResizeObserver) return;
    var observer = new ResizeObserver(function (entries) {
      entries.forEach(function (entry) { focusableWhileScrolling(entry.target); });
    });
    charts.forEach(function (chart) {
      observer.observe(chart);
      // A drawing changes what the box holds, not always the box's own size.
      new MutationObserver(function () { focusableWhileScrolling(chart); })
        .observe(chart, { childList: true });
    });
  }

  // --- Copy buttons: a visible "Copied", announced by a status region. ---
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    // Plain http: the clipboard API is missing; copy a selection instead.
    return new Promise(function (resolve, reject) {
      var box = document.createElement("textarea");
      box.value = text;
      box.className = "sr";
      box.setAttribute("readonly", "");
      document.body.appendChild(box);
      box.select();
      var done = document.execCommand("copy");
      box.remove();
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  function addCopyButton(place, label, text) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = label;
    var status = document.createElement("span");
    status.className = "copy-status";
    status.setAttribute("role", "status");
    var timer;
    button.addEventListener("click", function () {
      copyText(text()).then(function () {
        status.textContent = words.copied;
      }, function () {
        status.textContent = words.copyFailed;
      });
      clearTimeout(timer);
      timer = setTimeout(function () { status.textContent = ""; }, 5000);
    });
    place.appendChild(button);
    place.appendChild(status);
    return button;
  }

  // The text a reader sees in a cell, without marks, diffs and screen-reader words.
  function cellText(cell) {
    var copy = cell.cloneNode(true);
    copy.querySelectorAll(".sr, [aria-hidden], small, .best-mark, .mismatch-mark, " +
      ".conflict-mark, .diff").forEach(function (n) { n.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function tableAsTsv(table) {
    var rows = table.querySelectorAll("thead tr:not(.bands), tbody tr");
    return Array.prototype.map.call(rows, function (row) {
      return Array.prototype.map.call(row.cells, function (cell) {
        return cellText(cell).replace(/\t/g, " ");
      }).join("\t");
    }).join("\n") + "\n";
  }

  function addCopyButtons() {
    if (!words.copyCitation) return;  // a page without its words gets no buttons, not English
    document.querySelectorAll("[data-copy-table]").forEach(function (figure) {
      var table = figure.querySelector("table");
      var caption = figure.querySelector("figcaption") || figure;
      var tools = document.createElement("span");
      tools.className = "copy-tools";
      caption.appendChild(tools);
      var citation = figure.querySelector("[data-copy=citation]");
      if (citation) {
        addCopyButton(tools, words.copyCitation, function () { return citation.textContent.trim(); });
      }
      if (table) {
        addCopyButton(tools, words.copyTable, function () {
          return tableAsTsv(table);
        });
      }
    });
    document.querySelectorAll("textarea.embed-code").forEach(function (box) {
      var tools = document.createElement("span");
      tools.className = "copy-tools";
      box.parentNode.insertBefore(tools, box.nextSibling);
      addCopyButton(tools, words.copyEmbed, function () { return box.value; });
    });
  }

  // --- Filters: a submitted form leaves its empty fields out of the address. ---
  function leaveOutEmptyFields(event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement) || form.method !== "get") {
      return;
    }
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && !field.disabled && field.value === "" &&
          /^(INPUT|SELECT|TEXTAREA)$/.test(field.tagName)) {
        field.disabled = true;
        field.dataset.leftOut = "yes";
      }
    });
  }

  // Back to a page from the history: its fields are usable again.
  function restoreFields() {
    document.querySelectorAll("[data-left-out]").forEach(function (field) {
      field.disabled = false;
      delete field.dataset.leftOut;
    });
  }

  document.addEventListener("submit", leaveOutEmptyFields);
  document.addEventListener("focusin", keepFocusInView);
  skipLinkFocuses();
  window.addEventListener("pageshow", restoreFields);
  window.addEventListener("resize", padScrollBoxes);
  padScrollBoxes();
  watchScrollingCharts();
  addCopyButtons();
})();

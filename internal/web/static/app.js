// What every page does in the browser, on top of htmx and Tabler: the
// keyboard shortcuts, the confirmation of destructive actions, toasts
// that leave by themselves, rows that lead to their record, sortable
// columns, and focus on a form's error summary. Every page also works
// without it: forms post, links lead.
(function () {
  "use strict";
  function typing(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }
  function openDialog(d) {
    if (d && typeof d.showModal === "function" && !d.open) d.showModal();
  }

  // "/" or Ctrl-K (Cmd-K) puts the cursor in the jump box; Escape in it
  // clears it; "?" lists the shortcuts.
  document.addEventListener("keydown", function (e) {
    var box = document.getElementById("jump");
    var plain = !e.ctrlKey && !e.metaKey && !e.altKey && !typing(document.activeElement);
    if (box && ((e.key === "/" && plain) || ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey)))) {
      e.preventDefault();
      box.focus();
      box.select();
    } else if (box && e.key === "Escape" && document.activeElement === box) {
      box.value = "";
      var results = document.getElementById("jump-results");
      if (results) results.innerHTML = "";
      box.blur();
    } else if (e.key === "?" && plain) {
      e.preventDefault();
      openDialog(document.getElementById("shortcuts-dialog"));
    }
  });
  // A link or choice marked data-key is taken when its key is pressed
  // outside a text field (the questionnaire's next, previous and
  // statuses); a choice taken so fires its change, as a click would.
  document.addEventListener("keydown", function (e) {
    var el = document.activeElement;
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    if (el && (el.isContentEditable || /^(TEXTAREA|SELECT)$/.test(el.tagName) ||
        (el.tagName === "INPUT" && !/^(radio|checkbox|button|submit)$/.test(el.type)))) return;
    var target = document.querySelector('[data-key="' + e.key.toLowerCase().replace(/["\\]/g, "") + '"]');
    if (!target || target.disabled || target.closest("fieldset[disabled]")) return;
    e.preventDefault();
    target.click();
    if (target.type === "radio") target.focus();
  });
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-shortcuts]")) openDialog(document.getElementById("shortcuts-dialog"));
  });

  // A form marked data-confirm-* asks first, in a dialog that names what
  // will happen; only "confirm" lets it through.
  document.addEventListener("submit", function (e) {
    var form = e.target;
    var title = form.getAttribute("data-confirm-title");
    var dialog = document.getElementById("confirm-dialog");
    if (!title || !dialog || form.dataset.confirmed === "yes") return;
    e.preventDefault();
    dialog.querySelector("#confirm-title span").textContent = title;
    dialog.querySelector("#confirm-text").textContent = form.getAttribute("data-confirm-text") || "";
    dialog.querySelector("button[value=confirm]").textContent = form.getAttribute("data-confirm-button") || "Confirm";
    dialog.returnValue = "";
    dialog.onclose = function () {
      if (dialog.returnValue === "confirm") {
        form.dataset.confirmed = "yes";
        form.requestSubmit ? form.requestSubmit() : form.submit();
      }
    };
    openDialog(dialog);
  }, true);

  // A row with data-href leads to its record when clicked anywhere but on
  // a link, button or field of its own.
  document.addEventListener("click", function (e) {
    var row = e.target.closest("tr[data-href]");
    if (!row || e.target.closest("a, button, input, select, textarea, label")) return;
    if (window.getSelection && String(window.getSelection())) return;
    window.location.href = row.getAttribute("data-href");
  });

  // Sortable columns sort the rows shown.
  function cellKey(td, kind) {
    var t = td.querySelector("time");
    if (kind === "time" && t) return Date.parse(t.getAttribute("datetime")) || 0;
    var s = (td.textContent || "").trim();
    if (kind === "number") return parseFloat(s.replace(/[^0-9.-]/g, "")) || 0;
    return s.toLocaleLowerCase();
  }
  document.addEventListener("click", function (e) {
    var btn = e.target.closest("th[data-sort] .sort");
    if (!btn) return;
    var th = btn.closest("th"), table = th.closest("table"), body = table.tBodies[0];
    var col = Array.prototype.indexOf.call(th.parentNode.children, th);
    var kind = th.getAttribute("data-sort");
    var asc = th.getAttribute("aria-sort") !== "ascending";
    table.querySelectorAll("th[data-sort]").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellKey(a.cells[col], kind), y = cellKey(b.cells[col], kind);
      return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
    });
    rows.forEach(function (r) { body.appendChild(r); });
  });

  // The plan's timeline opens scrolled to today, which it marks, with a
  // little of the past before it; again when a filter redraws it.
  function timelineToToday(root) {
    root.querySelectorAll(".timeline-box[data-today]").forEach(function (box) {
      var label = box.querySelector(".timeline-label");
      var before = label ? label.offsetWidth : 0;
      var x = parseFloat(box.getAttribute("data-today")) || 0;
      box.scrollLeft = Math.max(0, x - (box.clientWidth - before) / 3);
    });
  }
  document.addEventListener("htmx:afterSwap", function (e) { timelineToToday(e.target); });

  document.addEventListener("DOMContentLoaded", function () {
    timelineToToday(document);
    // The toast after a change: said once, then gone; reloading the page
    // does not say it again.
    var toast = document.querySelector(".toast.flash");
    if (toast) {
      setTimeout(function () { toast.classList.remove("show"); }, 6000);
      var url = new URL(window.location.href);
      if (url.searchParams.has("done")) {
        url.searchParams.delete("done");
        history.replaceState(null, "", url.pathname + url.search + url.hash);
      }
    }
    // A form sent back with errors: the summary at its top takes focus,
    // so a screen reader reads it and a keyboard user starts from it.
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();

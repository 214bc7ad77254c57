// Behaviour the templates used to write inline; the Content-Security-Policy allows no inline script,
// so pages mark elements with data- attributes and this file (loaded by base.html) acts on them.
(function () {
  // <select data-autosubmit>: submit its form when the choice changes (year and unit switchers).
  document.addEventListener("change", function (event) {
    const el = event.target.closest("[data-autosubmit]");
    if (el && el.form) el.form.submit();
  });
  // <button data-confirm="…"> / <form data-confirm="…">: ask before submitting.
  document.addEventListener("click", function (event) {
    const el = event.target.closest("button[data-confirm], input[data-confirm]");
    if (el && !window.confirm(el.dataset.confirm)) event.preventDefault();
  });
  document.addEventListener("submit", function (event) {
    const form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  });
  // <a data-history-back>: go back a page (the link's href is the fallback without history).
  document.addEventListener("click", function (event) {
    const el = event.target.closest("a[data-history-back]");
    if (el && window.history.length > 1) { event.preventDefault(); window.history.back(); }
  });
  // Generic forms (core/form.html) mark their plain inputs with Bootstrap's class.
  function styleForms() {
    document.querySelectorAll("form.form-styled input:not([type=checkbox]):not([type=radio]):not([type=hidden]), form.form-styled select, form.form-styled textarea")
      .forEach(function (el) { el.classList.add("form-control"); });
  }
  // Tables in the page scroll sideways in a box of their own (narrow screens, fazhi.css), never the page:
  // wrap each one not already in a .table-responsive, on load and in content htmx swaps in.
  function wrapTables(root) {
    (root || document).querySelectorAll("main table.table").forEach(function (table) {
      if (table.closest(".table-responsive")) return;
      const box = document.createElement("div");
      box.className = "table-responsive";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    });
  }
  function ready() { styleForms(); wrapTables(); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
  document.addEventListener("htmx:load", function (event) { wrapTables(event.target.parentNode || document); });
})();

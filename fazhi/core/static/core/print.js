// The print views: the 打印 button opens the browser's print dialog. Without script the button stays
// hidden and the page still prints from the browser's own menu (Ctrl+P).
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
});

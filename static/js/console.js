// Dialer Console: the little glue HTMX does not give for free.
// Flash messages sent by HX-Trigger {"flash": {"level": "...", "message": "..."}}.
document.addEventListener("flash", (event) => {
  const box = document.getElementById("messages");
  if (!box || !event.detail) return;
  const item = document.createElement("article");
  item.className = `flash flash-${event.detail.level || "info"}`;
  item.setAttribute("role", "status");
  item.textContent = event.detail.message || "";
  box.appendChild(item);
});

// A field that applies to one choice of another (data-shown-when="scope=campaign") is
// hidden for the other choices. Without JavaScript every field shows.
function applyShownWhen(root) {
  root.querySelectorAll("[data-shown-when]").forEach((box) => {
    const [name, value] = box.dataset.shownWhen.split("=");
    const control = box.closest("form")?.querySelector(`[name="${name}"]`);
    if (control) box.hidden = control.value !== value;
  });
}
document.addEventListener("DOMContentLoaded", () => applyShownWhen(document));
document.addEventListener("htmx:afterSettle", () => applyShownWhen(document));
document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form");
  if (form) applyShownWhen(form);
});

// A form with data-confirm="question" asks before it submits (the CSP refuses inline
// onsubmit handlers). Without JavaScript the form submits unasked.
document.addEventListener("submit", (event) => {
  const question = event.target.dataset && event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});

// "last synced 5 seconds ago" stays true while a page is open, polling or not: each
// <time data-ago> is rewritten from its datetime every 10 s. Without JavaScript the
// server's text stays, with the exact time in its title.
const agoFormat = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const agoUnits = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]];
function refreshAgo(root) {
  root.querySelectorAll("time[data-ago]").forEach((node) => {
    const seconds = (Date.parse(node.dateTime) - Date.now()) / 1000;
    if (Number.isNaN(seconds)) return;
    const [unit, size] = agoUnits.find(([, size]) => Math.abs(seconds) >= size) || ["second", 1];
    node.textContent = agoFormat.format(Math.round(seconds / size), unit);
  });
}
refreshAgo(document);
document.addEventListener("htmx:afterSettle", (event) => refreshAgo(event.target));
setInterval(() => refreshAgo(document), 10000);

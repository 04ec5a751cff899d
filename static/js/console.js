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

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
// In the page's language (<html lang>, the console's active language).
const agoFormat = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
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

// The campaign form. A vendor field that applies to some values of another
// (data-controlled-by="vendor-dial_method" data-applies-when="1") is shown and hidden
// here, so a controller never swaps out the fieldset the user is typing in. Without
// JavaScript every field shows (noscript.css).
function controlValue(form, name) {
  const controls = [...form.querySelectorAll(`[name="${name}"]`)];
  const control = controls.find((c) => c.type !== "hidden") || controls[0];
  if (!control) return "";
  if (control.type === "checkbox") return control.checked ? "1" : "0";
  if (control.type === "radio") return (controls.find((c) => c.checked) || {}).value || "";
  return control.value;
}
function applyConditions(root) {
  root.querySelectorAll("[data-controlled-by]").forEach((slot) => {
    const form = slot.closest("form");
    if (!form) return;
    const wanted = slot.dataset.appliesWhen.split(" ");
    slot.classList.toggle("conditional-off", !wanted.includes(controlValue(form, slot.dataset.controlledBy)));
  });
}

// Inline validation answers with a field's feedback only (its messages, in the element
// Django's aria-describedby names: id_<field>_error); the controls of that field are
// marked aria-invalid from it and described by it.
function syncFeedback(root) {
  root.querySelectorAll(".field-feedback").forEach((feedback) => {
    const slot = feedback.closest(".field");
    if (!slot) return;
    const invalid = feedback.dataset.invalid === "true";
    slot.querySelectorAll("input:not([type=hidden]), select, textarea").forEach((control) => {
      if (invalid) control.setAttribute("aria-invalid", "true");
      else control.removeAttribute("aria-invalid");
      const described = (control.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (!described.includes(feedback.id)) {
        control.setAttribute("aria-describedby", [...described, feedback.id].join(" "));
      }
    });
  });
}

// The error summary of a form that failed to save: it takes the focus, and each of its
// links focuses its field's first control (a plain link only scrolls to it).
function focusField(slot) {
  const control = [...slot.querySelectorAll("input:not([type=hidden]), select, textarea")].find(
    (candidate) => candidate.offsetParent !== null,
  );
  slot.scrollIntoView({ block: "center" });
  if (control) control.focus({ preventScroll: true });
}
document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("#error-summary a[data-focus]");
  if (!link) return;
  const slot = document.getElementById(`field-${link.dataset.focus}`);
  if (!slot) return;
  event.preventDefault();
  focusField(slot);
});
document.addEventListener("DOMContentLoaded", () => {
  applyConditions(document);
  syncFeedback(document);
  const summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});
document.addEventListener("htmx:afterSettle", () => {
  applyConditions(document);
  syncFeedback(document);
});
document.addEventListener("change", (event) => {
  const form = event.target.closest && event.target.closest("form");
  if (form) applyConditions(form);
});

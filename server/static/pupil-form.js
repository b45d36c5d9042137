/* The add-pupil form keeps the chosen photos when the server asks for corrections.
 *
 * A form posted the ordinary way comes back with an empty file input, so IT would have to find the
 * pupil's photo again. With photos chosen, this sends the form with fetch instead: when the server
 * answers 422 (fields to put right), the form is swapped for the corrected one and the same File
 * objects are put back in its photo input. The photo is never held by the server between the two
 * attempts (nothing to expire or clean up, no copy of a child's photo on disk or in a session):
 * it stays where IT chose it, in this tab's memory, and leaves with the tab. Any other answer
 * (the enrolment results, an error page) replaces the page as a normal submission would.
 * Without JavaScript the form still works; the page then says the photo must be chosen again.
 */
"use strict";

(() => {
  const FORM = "pupil-form";

  async function submitKeepingPhotos(event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || form.id !== FORM) return;
    const input = form.querySelector("#photos");
    if (!input || !input.files || !input.files.length || !window.fetch || !window.DataTransfer) return;
    event.preventDefault();
    const kept = new DataTransfer();
    for (const file of input.files) kept.items.add(file);
    const button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    let response;
    try {
      response = await fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" });
    } catch (err) {
      if (button) button.disabled = false;
      form.submit();  // the network failed: let the browser try and report it
      return;
    }
    const html = await response.text();
    if (response.status !== 422) {
      document.open();
      document.write(html);
      document.close();
      return;
    }
    const next = new DOMParser().parseFromString(html, "text/html").querySelector("main");
    document.querySelector("main").replaceWith(document.adoptNode(next));
    const photos = document.getElementById("photos");
    photos.files = kept.files;
    const notKept = document.getElementById("photos-not-kept");
    if (notKept) notKept.remove();
    const status = document.getElementById("photos-kept");
    const count = kept.files.length;
    status.textContent = `Still chosen: ${Array.from(kept.files, (f) => f.name).join(", ")} ` +
      `(${count} photo${count === 1 ? "" : "s"}; nothing was saved yet).`;
    status.hidden = false;
    const summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("submit", submitKeepingPhotos);
})();

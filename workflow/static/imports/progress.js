// While a report is read, ask for its progress and show the result as soon as it is there.
(function () {
  var panel = document.querySelector("[data-import-status-url]");
  if (!panel) return;
  var url = panel.getAttribute("data-import-status-url");
  var status = panel.querySelector("[data-import-status]");
  function check() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (found) {
        if (!found) return;
        if (found.status === "queued" || found.status === "reading") {
          if (status && found.progress) status.textContent = found.progress;
          window.setTimeout(check, 1500);
        } else {
          window.location.reload();
        }
      })
      .catch(function () { window.setTimeout(check, 3000); });
  }
  window.setTimeout(check, 1000);
})();

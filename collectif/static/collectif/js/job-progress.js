// Follows a background job: polls its status and updates the progress bar in place.
// The page works without this script; the "refresh" link does the same by hand.
(function () {
  "use strict";
  document.querySelectorAll("[data-job-status-url]").forEach(function (box) {
    // The fragment brings this script with it; follow each box once even if included twice.
    if (box.dataset.jobFollowed) { return; }
    box.dataset.jobFollowed = "true";
    var url = box.getAttribute("data-job-status-url");
    var refresh = box.querySelector(".job-refresh");
    if (refresh) { refresh.hidden = true; }
    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (job) {
          box.querySelector("progress").value = job.percent;
          box.querySelector(".job-status").textContent = job.status_label;
          box.querySelector(".job-message").textContent = job.message;
          box.querySelector(".job-count").textContent = job.count_label;
          // A finished job, or one whose worker stopped: stop polling, reload to show the
          // result or the "start again" button.
          if (job.finished || job.stalled) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
        })
        .catch(function () { if (refresh) { refresh.hidden = false; } });
    }
    if (box.querySelector(".job-refresh")) { window.setTimeout(poll, 500); }
  });
})();

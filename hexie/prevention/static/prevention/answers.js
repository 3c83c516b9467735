/* The phone form of a check-up: each item is sent as soon as it is answered. An answer that
   cannot be sent (no network) waits in localStorage and is sent again when the connection is
   back, after a reload too: nothing typed is lost. Answering an item again replaces its answer
   on the server, so sending one twice is harmless. No inline script: the page's CSP allows only
   files of our own origin. */
(function () {
  "use strict";
  var box = document.querySelector("[data-answers]");
  if (!box) { return; }
  var key = "hexie-answers-" + box.getAttribute("data-answers");
  var status = document.getElementById("sync-status");
  var submitButton = document.getElementById("submit-button");
  var sending = false;

  function load() {
    try { return JSON.parse(window.localStorage.getItem(key) || "{}"); } catch (e) { return {}; }
  }
  function store(queue) { window.localStorage.setItem(key, JSON.stringify(queue)); }

  function show(offline) {
    var n = Object.keys(load()).length;
    if (n) {
      status.textContent = status.getAttribute("data-pending").replace("%(n)s", n);
      status.className = "badge bg-warning text-dark";
    } else if (offline) {
      status.textContent = status.getAttribute("data-offline");
      status.className = "badge bg-warning text-dark";
    } else {
      status.textContent = status.getAttribute("data-synced");
      status.className = "badge bg-success";
    }
    if (submitButton) { submitButton.disabled = n > 0; }
  }

  function read(form) {
    var checked = form.querySelector("input[name=result]:checked");
    return {
      action: form.getAttribute("action"),
      result: checked ? checked.value : "",
      deduction: (form.querySelector("[name=deduction]") || {}).value || "",
      note: (form.querySelector("[name=note]") || {}).value || "",
      answered_at: new Date().toISOString()
    };
  }

  function queueFrom(form) {
    var queue = load();
    queue[form.getAttribute("data-item")] = read(form);
    store(queue);
    show(false);
  }

  function itemForm(id) { return box.querySelector("form[data-item='" + id + "']"); }

  function mark(form, ok, text) {
    var badge = form.querySelector(".item-status");
    var err = form.querySelector(".item-error");
    if (err) { err.textContent = ok ? "" : text; }
    if (badge && ok) { badge.className = "badge item-status bg-success"; badge.textContent = text; }
  }

  function sendOne(id, entry) {
    var form = itemForm(id);
    var data = new FormData();
    data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
    ["result", "deduction", "note", "answered_at"].forEach(function (k) { data.append(k, entry[k]); });
    var files = form.querySelector("input[type=file]");
    if (files) { Array.prototype.forEach.call(files.files, function (f) { data.append("files", f); }); }
    return fetch(entry.action, { method: "POST", body: data, credentials: "same-origin",
                                 headers: { "X-Requested-With": "fetch" } })
      .then(function (resp) {
        return resp.json().then(function (body) { return { status: resp.status, body: body }; });
      })
      .then(function (r) {
        var queue = load();
        // Sent and answered: drop it, unless the item was changed again meanwhile.
        if (queue[id] && queue[id].answered_at === entry.answered_at) { delete queue[id]; store(queue); }
        if (r.body.ok) {
          if (files) { files.value = ""; }
          mark(form, true, "\u2713 " + r.body.points);
        } else {
          mark(form, false, (r.body.errors || []).join("；"));
        }
      });
  }

  function flush() {
    if (sending) { return; }
    var queue = load();
    var ids = Object.keys(queue).filter(function (id) { return queue[id].result && itemForm(id); });
    if (!ids.length) { show(false); return; }
    sending = true;
    var chain = Promise.resolve();
    ids.forEach(function (id) { chain = chain.then(function () { return sendOne(id, queue[id]); }); });
    chain.then(function () { sending = false; show(false); },
               function () { sending = false; show(true); });  // offline: keep the rest for later
  }

  // Put back what was typed but not sent before a reload.
  var pending = load();
  Object.keys(pending).forEach(function (id) {
    var form = itemForm(id);
    if (!form) { return; }
    var e = pending[id];
    var radio = form.querySelector("input[name=result][value='" + e.result + "']");
    if (radio) { radio.checked = true; }
    if (form.querySelector("[name=deduction]")) { form.querySelector("[name=deduction]").value = e.deduction; }
    if (form.querySelector("[name=note]")) { form.querySelector("[name=note]").value = e.note; }
  });

  box.addEventListener("input", function (ev) {
    var form = ev.target.closest("form.item-form");
    if (form && ev.target.type !== "file") { queueFrom(form); }
  });
  box.addEventListener("change", function (ev) {
    var form = ev.target.closest("form.item-form");
    if (form) { queueFrom(form); flush(); }
  });
  box.addEventListener("submit", function (ev) {
    var form = ev.target.closest("form.item-form");
    if (form) { ev.preventDefault(); queueFrom(form); flush(); }
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", function () { show(true); });
  window.setInterval(flush, 10000);
  show(false);
  flush();
}());

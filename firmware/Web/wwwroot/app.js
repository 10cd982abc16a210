"use strict";
var csrf = "", timer = 0, forwards = [], triggers = [], editing = -1, reservationCapacity = 0;
function $(s, r) { return (r || document).querySelector(s); }
function $$(s, r) { return Array.prototype.slice.call((r || document).querySelectorAll(s)); }
function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }

async function api(method, path, body, raw) {
  var opts = { method: method, headers: {}, credentials: "same-origin" };
  if (method !== "GET") opts.headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) {
    opts.headers["Content-Type"] = raw ? "application/octet-stream" : "application/json";
    opts.body = raw ? body : JSON.stringify(body);
  }
  var res = await fetch(path, opts);
  var data = {};
  if ((res.headers.get("Content-Type") || "").indexOf("json") >= 0) data = await res.json();
  if (res.status === 401 && path !== "/api/login") { showAuth(false); throw new Error("login needed"); }
  data.status = res.status;
  return data;
}

// Errors: a field path from the server ("forwards[2].externalPort", "ftp.controlPorts[1]") goes next to its input.
function clearErrors(form) {
  $$(".err", form).forEach(function (e) { e.textContent = ""; });
  $$(".ok", form).forEach(function (e) { e.textContent = ""; });
  $$("[aria-invalid]", form).forEach(function (e) { e.removeAttribute("aria-invalid"); });
}
function showError(form, data) {
  var name = (data.field || "").replace(/^(forwards|triggers)\[\d+\]\./, "").replace(/^ftp\./, "").replace(/\[\d+\]$/, "");
  if (name === "allowedSourcePrefixLength") name = "allowedSource";
  var row = /^dhcp\.reservations\[(\d+)\]\.(\w+)$/.exec(data.field || ""), tr = row && $$("#dhcp-res tr", form)[+row[1]];
  var input = tr ? $("[data-r=" + row[2] + "]", tr) : name && $('[data-f="' + name + '"]', form);
  if (input && input.parentNode.querySelector(".err")) {
    input.setAttribute("aria-invalid", "true");
    input.parentNode.querySelector(".err").textContent = data.error;
    input.focus();
  } else {
    $(".form-err", form).textContent = data.error || ("request failed (" + data.status + ")");
  }
}
function readForm(form) {
  var o = {};
  $$("[data-f]", form).forEach(function (i) { o[i.dataset.f] = i.type === "checkbox" ? i.checked : i.value.trim(); });
  return o;
}
function fillForm(form, o) {
  $$("[data-f]", form).forEach(function (i) {
    var v = o[i.dataset.f];
    if (i.type === "checkbox") i.checked = !!v; else if (i.type !== "file") i.value = v === undefined || v === null ? "" : v;
  });
}

function showAuth(setup) {
  clearInterval(timer);
  $("#nav").hidden = true;
  $$(".tab").forEach(function (t) { t.hidden = true; });
  $("#auth").hidden = false;
  $("#auth-title").textContent = setup ? "Set the admin password" : "Log in";
  $("#auth-hint").textContent = setup ? "First start: choose the password that protects these settings (at least 8 characters)." : "";
  $("#confirm-row").hidden = !setup;
  $("#auth-form").dataset.setup = setup ? "1" : "";
  clearErrors($("#auth-form"));
  $('#auth-form [data-f="password"]').focus();
}
async function start() {
  var s = await api("GET", "/api/session");
  if (s.setup) return showAuth(true);
  if (!s.loggedIn) return showAuth(false);
  csrf = s.csrf;
  $("#auth").hidden = true;
  $("#nav").hidden = false;
  route();
}
function route() {
  var tab = (location.hash || "#status").slice(1);
  if (!$("#" + tab + ".tab")) tab = "status";
  $$(".tab").forEach(function (t) { t.hidden = t.id !== tab; });
  $$("nav a").forEach(function (a) { a.classList.toggle("active", a.dataset.tab === tab); });
  clearInterval(timer);
  if (tab === "status") { loadStatus(); timer = setInterval(loadStatus, 2000); }
  if (tab === "forwarding") loadRules();
  if (tab === "ftp") loadSimple("/api/ftp", $("#ftp-form"));
  if (tab === "network") loadSimple("/api/network", $("#net-form"), fillNetwork);
}

function dl(target, pairs) {
  var d = $(target); d.textContent = "";
  pairs.forEach(function (p) { d.appendChild(el("dt", p[0])); d.appendChild(el("dd", String(p[1]))); });
}
function duration(s) {
  var d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return (d ? d + "d " : "") + (d || h ? h + "h " : "") + m + "m " + (s % 60) + "s";
}
function bytes(n) { return n < 1024 ? n + " B" : n < 1048576 ? (n / 1024).toFixed(1) + " KiB" : (n / 1048576).toFixed(1) + " MiB"; }
async function loadStatus() {
  var s = await api("GET", "/api/status");
  dl("#st-wan", [["Address", s.wan.address + "/" + s.wan.prefixLength], ["Gateway", s.wan.gateway], ["Mode", s.wan.mode]]);
  dl("#st-lan", [["Address", s.lan.address + "/" + s.lan.prefixLength], ["Forwards", s.forwards], ["Triggers", s.triggers]]);
  dl("#st-sys", [["Uptime", duration(s.uptimeSeconds)], ["Connections", s.conntrack.used + " / " + s.conntrack.capacity], ["Board", s.board]]);
  dl("#st-ftp", s.ftp.map(function (c) { return [c.name.replace(/_/g, " "), c.value]; }));
  var c = s.counters;
  dl("#st-traffic", [["Packets in", c.frames_received], ["Packets out", c.frames_sent], ["Bytes in", bytes(c.bytes_received)], ["Bytes out", bytes(c.bytes_sent)], ["Forwarded", c.forwarded], ["To the router", c.consumed], ["Dropped", s.dropped]]);
  dl("#st-drops", Object.keys(c).filter(function (k) { return k.indexOf("drop_") === 0 && c[k] > 0; }).map(function (k) { return [k.slice(5).replace(/_/g, " "), c[k]]; }));
  if (!$("#st-drops").children.length) $("#st-drops").appendChild(el("dt", "none"));
  var ol = $("#st-events"); ol.textContent = "";
  s.events.forEach(function (e) { var li = el("li"); li.appendChild(el("time", duration(e.t))); li.appendChild(document.createTextNode(e.text)); ol.appendChild(li); });
}

function protoName(p) { return p === "both" ? "TCP+UDP" : p.toUpperCase(); }
function range(a, b) { return b && b !== a ? a + "-" + b : String(a); }
function actions(row, kind, i, rule) {
  var td = el("td", undefined, "actions");
  var toggle = el("button", rule.enabled ? "Disable" : "Enable", "small secondary");
  toggle.onclick = async function () { var r = Object.assign({}, rule, { enabled: !rule.enabled }); await saveRule(kind, i, r, null); };
  var edit = el("button", "Edit", "small secondary");
  edit.onclick = function () { openEditor(kind, i); };
  var del = el("button", "Delete", "small danger");
  del.onclick = async function () { if (confirm("Delete '" + rule.name + "'?")) { await api("DELETE", "/api/" + kind + "/" + i); loadRules(); } };
  td.appendChild(toggle); td.appendChild(edit); td.appendChild(del); row.appendChild(td);
}
async function loadRules() {
  var f = await api("GET", "/api/forwards"), t = await api("GET", "/api/triggers");
  forwards = f.forwards; triggers = t.triggers;
  var body = $("#fw-list"); body.textContent = "";
  forwards.forEach(function (r, i) {
    var tr = el("tr");
    [r.enabled ? "\u2713" : "\u2013", r.name, protoName(r.protocol), range(r.externalPort, r.externalPortEnd), r.internalAddress, r.internalPort, r.allowedSource || "any"]
      .forEach(function (v) { tr.appendChild(el("td", String(v))); });
    actions(tr, "forwards", i, r); body.appendChild(tr);
  });
  if (!forwards.length) { var e = el("tr"); var td = el("td", "No port forwards yet (" + f.capacity + " fit this board).", "empty"); td.colSpan = 8; e.appendChild(td); body.appendChild(e); }
  body = $("#tr-list"); body.textContent = "";
  triggers.forEach(function (r, i) {
    var tr = el("tr");
    [r.enabled ? "\u2713" : "\u2013", r.name, protoName(r.triggerProtocol) + " " + range(r.triggerPort, r.triggerPortEnd), protoName(r.openProtocol) + " " + range(r.openPort, r.openPortEnd), r.idleTimeoutSeconds + " s", r.heldBy ? r.heldBy + " (" + r.secondsLeft + " s)" : "nobody"]
      .forEach(function (v) { tr.appendChild(el("td", String(v))); });
    actions(tr, "triggers", i, r); body.appendChild(tr);
  });
  if (!triggers.length) { var e2 = el("tr"); var td2 = el("td", "No port triggers yet (" + t.capacity + " fit this board).", "empty"); td2.colSpan = 7; e2.appendChild(td2); body.appendChild(e2); }
}
function formOf(kind) { return kind === "forwards" ? $("#fw-form") : $("#tr-form"); }
function openEditor(kind, i) {
  var form = formOf(kind), list = kind === "forwards" ? forwards : triggers;
  editing = i; clearErrors(form);
  form.reset();
  if (i >= 0) fillForm(form, list[i]);
  $("h3", form).textContent = (i >= 0 ? "Edit " : "Add ") + (kind === "forwards" ? "forward" : "trigger");
  form.hidden = false;
  $("[data-f=name]", form).focus();
}
async function saveRule(kind, i, rule, form) {
  var r = i >= 0 ? await api("PUT", "/api/" + kind + "/" + i, rule) : await api("POST", "/api/" + kind, rule);
  if (r.status !== 200) { if (form) showError(form, r); else alert(r.error); return false; }
  if (form) form.hidden = true;
  await loadRules();
  return true;
}
["forwards", "triggers"].forEach(function (kind) {
  var form = formOf(kind);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearErrors(form); saveRule(kind, editing, readForm(form), form); });
  $(".cancel", form).onclick = function () { form.hidden = true; };
});
$("#fw-add").onclick = function () { openEditor("forwards", -1); };
$("#tr-add").onclick = function () { openEditor("triggers", -1); };

async function loadSimple(path, form, fill) { clearErrors(form); (fill || fillForm)(form, await api("GET", path)); }
function simpleForm(form, path, read, fill) {
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault(); clearErrors(form);
    var r = await api("PUT", path, (read || readForm)(form));
    if (r.status !== 200) return showError(form, r);
    (fill || fillForm)(form, r); $(".ok", form).textContent = "Saved and applied.";
  });
}

// LAN/WAN: "dhcp.x" inputs go into the dhcp object; reservations come from their table rows in order, so the
// server's "dhcp.reservations[i].mac" names row i.
function readNetwork(form) {
  var o = readForm(form), d = { reservations: [] };
  Object.keys(o).forEach(function (k) { if (k.indexOf("dhcp.") === 0) { d[k.slice(5)] = o[k]; delete o[k]; } });
  $$("#dhcp-res tr").forEach(function (tr) { d.reservations.push({ mac: $("[data-r=mac]", tr).value.trim(), address: $("[data-r=address]", tr).value.trim() }); });
  o.dhcp = d;
  return o;
}
function fillNetwork(form, o) {
  Object.keys(o.dhcp).forEach(function (k) { o["dhcp." + k] = o.dhcp[k]; });
  fillForm(form, o);
  reservationCapacity = o.dhcp.reservationCapacity;
  $("#dhcp-res").textContent = "";
  o.dhcp.reservations.forEach(function (r) { addReservation(r); });
  reservationsChanged();
}
function addReservation(r) {
  var tr = el("tr"), td = el("td", undefined, "actions"), del = el("button", "\u2715", "small secondary");
  [["mac", "aa:bb:cc:dd:ee:ff", "MAC address"], ["address", "192.168.1.50", "Reserved address"]].forEach(function (f) {
    var cell = el("td"), input = el("input");
    input.dataset.r = f[0]; input.value = r[f[0]] || ""; input.placeholder = f[1]; input.setAttribute("aria-label", f[2]);
    cell.appendChild(input); cell.appendChild(el("small", undefined, "err")); tr.appendChild(cell);
  });
  del.type = "button"; del.title = "Remove"; del.setAttribute("aria-label", "Remove reservation");
  del.onclick = function () { tr.remove(); reservationsChanged(); };
  td.appendChild(del); tr.appendChild(td); $("#dhcp-res").appendChild(tr);
}
function reservationsChanged() {
  var n = $$("#dhcp-res tr").length;
  $("table.res").hidden = !n;
  $("#res-add").disabled = n >= reservationCapacity;
  $("#res-hint").textContent = n ? n + " of " + reservationCapacity + " used; a reserved device always gets its address." : "No reservations yet (" + reservationCapacity + " fit this board): every device gets an address from the pool.";
}
$("#res-add").onclick = function () { addReservation({}); reservationsChanged(); $("#dhcp-res tr:last-child [data-r=mac]").focus(); };
simpleForm($("#ftp-form"), "/api/ftp");
simpleForm($("#net-form"), "/api/network", readNetwork, fillNetwork);

$("#auth-form").addEventListener("submit", async function (ev) {
  ev.preventDefault();
  var form = ev.target, v = readForm(form), setup = form.dataset.setup === "1";
  clearErrors(form);
  if (setup && v.password !== v.confirm) return showError(form, { field: "confirm", error: "the passwords differ" });
  var r = await api("POST", setup ? "/api/setup" : "/api/login", { password: v.password });
  if (r.status !== 200) return showError(form, r);
  form.reset(); start();
});
$("#logout").onclick = async function () { await api("POST", "/api/logout", {}); csrf = ""; showAuth(false); };
$("#pw-form").addEventListener("submit", async function (ev) {
  ev.preventDefault(); var form = ev.target; clearErrors(form);
  var r = await api("POST", "/api/password", readForm(form));
  if (r.status !== 200) return showError(form, r);
  csrf = r.csrf; form.reset(); $(".ok", form).textContent = "Password changed; other sessions were logged out.";
});
$("#backup").onclick = async function () {
  var res = await fetch("/api/backup", { credentials: "same-origin" });
  var blob = await res.blob(), a = el("a");
  a.href = URL.createObjectURL(blob); a.download = "router-config.bin"; document.body.appendChild(a); a.click(); a.remove();
};
$("#restore-form").addEventListener("submit", async function (ev) {
  ev.preventDefault(); var form = ev.target; clearErrors(form);
  var file = $("[data-f=file]", form).files[0];
  if (!file) return showError(form, { field: "file", error: "choose a backup file" });
  var r = await api("POST", "/api/restore", new Uint8Array(await file.arrayBuffer()), true);
  if (r.status !== 200) return showError(form, Object.assign(r, { field: "file" }));
  $(".ok", form).textContent = "Restored and applied.";
});
$("#reboot").onclick = async function () { if (confirm("Reboot the router?")) { var r = await api("POST", "/api/reboot", {}); $("#device-ok").textContent = r.message || ""; } };
$("#reset").onclick = async function () {
  if (!confirm("Erase every setting, including the admin password?")) return;
  var r = await api("POST", "/api/factory-reset", {});
  if (r.status === 200) showAuth(true); else $("#device-err").textContent = r.error;
};
window.addEventListener("hashchange", function () { if (csrf) route(); });
start();

"use strict";
var csrf = "", maxUpload = 0, timer = 0, forwards = [], triggers = [], editing = -1, reservationCapacity = 0, devices = [], ftpSettings = null, ftpPreset = false, ftpsPreset = false, wanAddress = "", network = null, connPage = 0;
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
  var res;
  try { res = await fetch(path, opts); }
  catch (e) { banner("Cannot reach the router. Check that this device is connected to the router's network, then try again."); throw e; }
  banner("");
  var data = {};
  if ((res.headers.get("Content-Type") || "").indexOf("json") >= 0) data = await res.json();
  if (res.status === 401 && path !== "/api/login") { await reauth("Your session has ended; log in again."); throw new Error("login needed"); }
  data.status = res.status;
  if (res.status >= 400 && !data.error) data.error = statusMessage(res.status);
  return data;
}
// Errors the server answers without a JSON body (the HTTP layer's own answers).
function statusMessage(status) {
  if (status === 413) return "too large: the router accepts at most a few kilobytes here";
  if (status === 503) return "the router is busy; try again in a moment";
  if (status >= 500) return "the router could not do this (error " + status + ")";
  return "the router refused this (error " + status + ")";
}
// A 401: the session ended, or a factory reset (another tab, another admin) left no password: the router says which.
async function reauth(hint) {
  var setup = (await api("GET", "/api/session")).setup;
  showAuth(setup, setup ? "The router was reset to its factory settings: choose the admin password (at least 8 characters)." : hint);
  return setup;
}
function banner(text) { var b = $("#banner"); b.textContent = text; b.hidden = !text; }

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

function showAuth(setup, hint) {
  clearInterval(timer);
  $("#nav").hidden = true;
  $$(".tab").forEach(function (t) { t.hidden = true; });
  $("#auth").hidden = false;
  $("#auth-title").textContent = setup ? "Set the admin password" : "Log in";
  $("#auth-hint").textContent = hint || (setup ? "First start: choose the password that protects these settings (at least 8 characters)." : "");
  $("#confirm-row").hidden = !setup;
  $("#auth-form").dataset.setup = setup ? "1" : "";
  clearErrors($("#auth-form"));
  $('#auth-form [data-f="password"]').focus();
}
async function start() {
  var s = await api("GET", "/api/session");
  if (s.setup) return showAuth(true);
  if (!s.loggedIn) return showAuth(false);
  csrf = s.csrf; maxUpload = s.maxUploadBytes;
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
  if (tab === "forwarding") { loadRules(); loadDevices(); loadFtp(); }
  if (tab === "devices") loadDevices();
  if (tab === "connections") { loadDevices(); loadConnections(); timer = setInterval(loadConnections, 5000); }
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
// Counter rows: name (and a "trouble" mark), value, and what it means.
function explain(list, names, values, strip) {
  list.textContent = "";
  names.forEach(function (k) {
    var w = why(k), dt = el("dt", k.slice(strip).replace(/_/g, " "));
    if (w[1] && values[k] > 0) { dt.appendChild(document.createTextNode(" ")); dt.appendChild(el("span", "trouble", "trouble")); }
    list.appendChild(dt); list.appendChild(el("dd", String(values[k]))); list.appendChild(el("dd", w[0], "why"));
  });
}
async function loadStatus() {
  var s = await api("GET", "/api/status");
  wanAddress = s.wan.address;
  dl("#st-wan", [["Address", s.wan.address + "/" + s.wan.prefixLength], ["Gateway", s.wan.gateway], ["DNS", [s.wan.dns1, s.wan.dns2].filter(Boolean).join(", ") || "none"], ["Mode", s.wan.mode]]);
  dl("#st-lan", [["Address", s.lan.address + "/" + s.lan.prefixLength], ["Forwards", s.forwards], ["Triggers", s.triggers]]);
  dl("#st-sys", [["Uptime", duration(s.uptimeSeconds)], ["Connections", s.conntrack.used + " / " + s.conntrack.capacity], ["Board", s.board]]);
  var ftp = {}; s.ftp.forEach(function (r) { ftp[r.name] = r.value; });
  explain($("#st-ftp"), s.ftp.map(function (r) { return r.name; }), ftp, 0);
  var c = s.counters;
  dl("#st-traffic", [["Packets in", c.frames_received], ["Packets out", c.frames_sent], ["Bytes in", bytes(c.bytes_received)], ["Bytes out", bytes(c.bytes_sent)], ["Forwarded", c.forwarded], ["To the router", c.consumed], ["Dropped", s.dropped]]);
  var drops = $("#st-drops"); drops.textContent = "";
  explain(drops, Object.keys(c).filter(function (k) { return k.indexOf("drop_") === 0 && c[k] > 0; }), c, 5);
  if (!drops.children.length) drops.appendChild(el("dt", "none"));
  var shown = ["frames_received", "frames_sent", "bytes_received", "bytes_sent", "forwarded", "consumed"];
  explain($("#st-activity"), Object.keys(c).filter(function (k) { return k.indexOf("drop_") !== 0 && shown.indexOf(k) < 0 && c[k] > 0; }), c, 0);
  graphs(s.history);
  var ol = $("#st-events"); ol.textContent = "";
  s.events.forEach(function (e) { var li = el("li"); li.appendChild(el("time", duration(e.t))); li.appendChild(document.createTextNode(e.text)); ol.appendChild(li); });
}

// Each counter's meaning and whether a non-zero value means trouble (1: short of room, broken, or an attack). Every
// counter of firmware/Counters.cs and Helpers/Ftp/FtpCounters.cs has one (tests/Router.Tests/Web/CounterExplanationTests).
var counterWhy = {
  frames_received: ["frames in", 0], forwarded: ["passed between LAN and WAN", 0], consumed: ["for the router itself", 0],
  drop_runt: ["frames too short", 1], drop_not_for_us: ["for another MAC", 0], drop_unsupported_ethertype: ["not IPv4 (IPv6, ...)", 0],
  drop_arp_malformed: ["broken ARP", 1], drop_ip_version: ["not IPv4", 0], drop_ip_header_length: ["broken IP header or options", 1],
  drop_ip_total_length: ["IP length wrong", 1], drop_ip_checksum: ["IP checksum wrong: bad cable?", 1],
  drop_ttl_expired: ["looped or too far", 0], drop_spoofed_source: ["source from the wrong side", 1],
  drop_not_routable: ["no route", 0], drop_unsolicited: ["inbound nobody asked for (normal)", 0],
  drop_conntrack_full: ["connection table full", 1], drop_nat_ports_exhausted: ["no free NAT port", 1],
  drop_transport_truncated: ["TCP/UDP header cut short", 1], drop_tcp_invalid: ["TCP fitting no state", 0],
  drop_fragment_unknown: ["fragment of an unknown packet", 0], drop_icmp_unsupported: ["ICMP type not translated", 0],
  drop_icmp_error_unmatched: ["ICMP error for no connection", 0], drop_arp_queue_full: ["ARP wait queue full", 1],
  drop_arp_timeout: ["a LAN device did not answer ARP", 0], drop_transmit_failed: ["network chip refused a frame", 1],
  drop_helper: ["FTP line not rewritable (resent)", 1], drop_too_big: ["over the next link's MTU", 0],
  drop_tcp_out_of_window: ["TCP outside its window: stale or a blind reset", 0],
  drop_transport_checksum: ["TCP/UDP checksum wrong: damage or forgery", 1], drop_tuple_taken: ["ports already used by another connection", 0],
  drop_tcp_checksum: ["web UI TCP checksum wrong", 1], drop_local_tcp_out_of_window: ["web UI TCP outside its window", 0],
  drop_tcp_out_of_order: ["web UI TCP ahead of a gap (resent)", 0], drop_tcp_malformed: ["broken TCP to the router", 1],
  drop_tcp_no_slot: ["web UI busy: no slot", 1], drop_martian_source: ["impossible source (127/8, multicast, ...): forged", 1],
  drop_martian_destination: ["to 0/8, 127/8, multicast or broadcast", 0], drop_source_routed: ["source-routed (see Network)", 1],
  drop_tiny_fragment: ["TCP fragment at offset 8: evasion", 1], drop_lan_source_spoofed: ["LAN address of another device: spoofing", 1],
  drop_arp_bogus_sender: ["ARP from a group/zero MAC or our address", 1],
  bytes_received: ["bytes in", 0], frames_sent: ["frames out", 0], bytes_sent: ["bytes out", 0], echo_replies: ["pings answered", 0],
  time_exceeded_sent: ["TTL errors sent (traceroute)", 0], icmp_rate_limited: ["ICMP errors held back", 0],
  mss_clamped: ["TCP MSS lowered to the MTU", 0], arp_requests_sent: ["ARP asked", 0], arp_replies_sent: ["ARP answered", 0],
  icmp_errors_translated: ["ICMP errors passed on", 0], fragments_translated: ["fragments translated", 0],
  fragment_table_evictions: ["fragment table full", 1], arp_held: ["waiting for ARP", 0],
  tcp_ignored: ["TCP passed without a state change (resends)", 0], tcp_accepted: ["web UI connections", 0],
  tcp_resets_sent: ["web UI resets", 0], tcp_retransmits: ["web UI resends", 0], tcp_half_open_evicted: ["web UI half-open evicted", 1],
  tcp_evicted: ["web UI connections evicted", 1], tcp_timed_out: ["web UI idle timeouts", 0],
  nat_shadow_avoided: ["LAN port held by a forward or trigger: another outside port given", 0],
  commands_seen: ["FTP lines read", 0], rewrites: ["lines rewritten", 0], retransmissions_rewritten: ["resends rewritten", 0],
  split_lines_joined: ["split lines joined", 0], expectations_created: ["data connections announced", 0],
  expectations_used: ["announced ones opened", 0], expectations_expired: ["announced, never came", 0],
  expectations_evicted: ["announcements replaced", 0], lines_unknown: ["lines not acted on", 0], lines_garbled: ["unparsable PORT/PASV", 1],
  lines_overlong: ["lines too long", 1], tls_stopped: ["switched to TLS", 0], refused_bounce: ["PORT to another host (bounce)", 1],
  refused_low_port: ["data port below 1024", 1], refused_wrong_server_address: ["PASV naming another server", 1],
  refused_not_at_line_start: ["command mid-line (slipstream)", 1], refused_wrong_peer: ["data from the wrong address", 1],
  refused_used_twice: ["announcement used twice", 1], refused_after_timeout: ["data came too late", 0],
  refused_too_big: ["rewrite would not fit", 1], refused_no_slot: ["all helper slots busy", 1], refused_port_unavailable: ["no public port free", 1],
  not_ftp: ["not behaving as FTP: no longer read", 1], lines_passed_uninspected: ["byte-at-a-time lines passed unread", 0],
  segments_not_at_line_start: ["mid-line segments not read", 0], slots_freed: ["slots freed at close or expiry", 0],
  slots_reclaimed: ["slots taken from closing sessions", 1], data_connections_observed: ["data connections linked", 0],
  ftps_servers: ["FTPS server forwarded: see Events", 0]
};
function why(name) { return counterWhy[name] || ["", 0]; }

// A graph: one polyline per series over the ring's samples (oldest left), scaled to the largest value shown.
function plot(id, series, classes, unit) {
  var fig = $("#" + id), svg = $("svg", fig), n = series[0].length, max = 1;
  series.forEach(function (s) { s.forEach(function (v) { if (v > max) max = v; }); });
  svg.textContent = "";
  series.forEach(function (s, k) {
    var line = document.createElementNS("http://www.w3.org/2000/svg", "polyline"), pts = [];
    s.forEach(function (v, i) { pts.push((n > 1 ? i * 300 / (n - 1) : 300).toFixed(1) + "," + (78 - v * 74 / max).toFixed(1)); });
    line.setAttribute("points", pts.join(" ")); line.setAttribute("class", classes[k]); svg.appendChild(line);
  });
  $(".now", fig).textContent = n ? "now " + series.map(function (s) { return unit(s[n - 1]); }).join(" / ") + " \u00b7 peak " + unit(max) : "no samples yet";
  fig.dataset.samples = n;
}
function graphs(h) {
  plot("g-packets", [h.downloadPackets, h.uploadPackets], ["down", "up"], function (v) { return v + "/s"; });
  plot("g-bytes", [h.downloadBytes, h.uploadBytes], ["down", "up"], function (v) { return bytes(v) + "/s"; });
  plot("g-conns", [h.connections], ["one"], String);
  plot("g-drops", [h.drops], ["one"], function (v) { return v + "/s"; });
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
// Table cells labelled for the phone layout (each row a card; the label shows before the value). "Name" may wrap.
function cells(tr, labels, values) {
  values.forEach(function (v, i) { var td = el("td", String(v), labels[i] === "Name" ? "name" : ""); td.dataset.label = labels[i]; tr.appendChild(td); });
}
async function loadRules() {
  var f = await api("GET", "/api/forwards"), t = await api("GET", "/api/triggers");
  forwards = f.forwards; triggers = t.triggers;
  var body = $("#fw-list"); body.textContent = "";
  forwards.forEach(function (r, i) {
    var tr = el("tr");
    cells(tr, ["On", "Name", "Protocol", "External", "Internal host", "Internal port", "Allowed source"],
      [r.enabled ? "\u2713" : "\u2013", r.name, protoName(r.protocol), range(r.externalPort, r.externalPortEnd), r.internalAddress + (r.pool ? ", " + r.pool : ""), r.internalPort, r.allowedSource || "any"]);
    actions(tr, "forwards", i, r); body.appendChild(tr);
  });
  if (!forwards.length) { var e = el("tr"); var td = el("td", "No port forwards yet (" + f.capacity + " fit this board).", "empty"); td.colSpan = 8; e.appendChild(td); body.appendChild(e); }
  body = $("#tr-list"); body.textContent = "";
  triggers.forEach(function (r, i) {
    var tr = el("tr");
    cells(tr, ["On", "Name", "Trigger", "Opens", "Idle timeout", "Held by"],
      [r.enabled ? "\u2713" : "\u2013", r.name, protoName(r.triggerProtocol) + " " + range(r.triggerPort, r.triggerPortEnd), protoName(r.openProtocol) + " " + range(r.openPort, r.openPortEnd), r.idleTimeoutSeconds + " s", r.heldBy ? r.heldBy + " (" + r.secondsLeft + " s)" : "nobody"]);
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
  if (kind === "forwards") { ftpPreset = false; ftpsMode(false); $("#fw-device").value = ""; ftpNote(); }
  $("h3", form).textContent = (i >= 0 ? "Edit " : "Add ") + (kind === "forwards" ? "forward" : "trigger");
  form.hidden = false;
  $("[data-f=name]", form).focus();
}
async function saveRule(kind, i, rule, form) {
  var r = i >= 0 ? await api("PUT", "/api/" + kind + "/" + i, rule) : await api("POST", "/api/" + kind, rule);
  if (r.status !== 200) { if (form) showError(form, r); else alert(r.error); return false; }
  if (kind === "forwards" && form && ftpPreset) await ftpCover(+rule.externalPort);
  if (form) form.hidden = true;
  await loadRules();
  return true;
}
["forwards", "triggers"].forEach(function (kind) {
  var form = formOf(kind);
  form.addEventListener("submit", function (ev) { ev.preventDefault(); clearErrors(form); if (kind === "forwards" && ftpsPreset) saveFtps(form); else saveRule(kind, editing, readForm(form), form); });
  $(".cancel", form).onclick = function () { form.hidden = true; };
});
$("#fw-add").onclick = function () { openEditor("forwards", -1); };

// Forward editor helpers: pick the internal host from the devices list; FTP guidance and the "FTP server" preset.
async function loadFtp() { ftpSettings = await api("GET", "/api/ftp"); ftpNote(); }
function ftpPorts() { return ftpSettings ? String(ftpSettings.controlPorts).split(",").map(function (p) { return +p.trim(); }).filter(Boolean) : []; }
function ftpNote() {
  var form = $("#fw-form"), v = readForm(form), note = $("#fw-ftp-note"), port = +v.externalPort, tcp = v.protocol !== "udp";
  var ftpLike = tcp && (port === 21 || ftpPorts().indexOf(port) >= 0 || ftpPreset || ftpsPreset);
  note.hidden = !ftpLike;
  if (!ftpLike) return;
  if (ftpsPreset) { note.textContent = "Saving forwards port " + (port || 21) + " and the passive ports below. " + ftpsAdvice(); return; }
  if (ftpSettings && ftpSettings.enabled && ftpPorts().indexOf(port) >= 0)
    note.textContent = "Port " + port + " is an FTP control port: the FTP helper follows this forward and opens each passive data connection itself, so no passive port range needs forwarding.";
  else if (ftpPreset)
    note.textContent = "Saving also turns the FTP helper on for port " + (port || 21) + ", so passive transfers work without forwarding a port range.";
  else
    note.textContent = "Port " + port + " looks like FTP, but the FTP helper does not cover it: turn the helper on for this port (FTP helper page) or use the FTP server preset, else passive transfers need their own forwarded port range.";
}
async function ftpCover(port) {
  if (!ftpSettings) await loadFtp();
  var ports = ftpPorts();
  if (ftpSettings.enabled && ports.indexOf(port) >= 0) return;
  if (ports.indexOf(port) < 0) ports.push(port);
  var r = await api("PUT", "/api/ftp", { enabled: true, controlPorts: ports.join(", "), expectationTimeoutSeconds: String(ftpSettings.expectationTimeoutSeconds) });
  if (r.status === 200) ftpSettings = r;
}
// The "FTPS server" preset: TLS hides the server's passive replies from the FTP helper, so the control port and a
// passive range are forwarded together (to the same host or pool) and the server must announce the WAN address.
function ftpsMode(on) { ftpsPreset = on; $$("#fw-form .ftps").forEach(function (l) { l.hidden = !on; }); }
function ftpsAdvice() {
  var wan = wanAddress || "the router's WAN address", a = $("#fw-pasv-start").value, b = $("#fw-pasv-end").value;
  return "On the server set its external (masquerade) address to " + wan + " and its passive ports to " + a + "\u2013" + b +
    " (vsftpd: pasv_address=" + wan + ", pasv_min_port=" + a + ", pasv_max_port=" + b + ").";
}
async function saveFtps(form) {
  var v = readForm(form), a = $("#fw-pasv-start").value, b = $("#fw-pasv-end").value, at = forwards.length;
  var pasv = { name: (v.name + " passive").slice(0, 32), enabled: v.enabled, protocol: "tcp", externalPort: a, externalPortEnd: b, internalAddress: v.internalAddress, pool: v.pool, internalPort: a, allowedSource: v.allowedSource };
  var r = await api("POST", "/api/forwards", pasv);
  if (r.status !== 200) {
    var input = /externalPortEnd/.test(r.field || "") ? $("#fw-pasv-end") : /externalPort|internalPort/.test(r.field || "") ? $("#fw-pasv-start") : null;
    if (input) { input.setAttribute("aria-invalid", "true"); input.parentNode.querySelector(".err").textContent = r.error; input.focus(); } else showError(form, r);
    return;
  }
  if (!await saveRule("forwards", editing, v, form)) { await api("DELETE", "/api/forwards/" + at); await loadRules(); return; }
  var advice = $("#fw-ftps-advice");
  advice.textContent = "FTPS server forwarded: port " + v.externalPort + " and passive ports " + a + "\u2013" + b + ". " + ftpsAdvice();
  advice.hidden = false;
}
$("#fw-ftps-preset").onclick = async function () {
  var form = $("#fw-form");
  ftpPreset = false; ftpsMode(true);
  fillForm(form, Object.assign(readForm(form), { name: "FTPS server", protocol: "tcp", externalPort: "21", externalPortEnd: "", internalPort: "21", enabled: true }));
  if (!wanAddress) { var s = await api("GET", "/api/status"); wanAddress = s.wan.address; }
  ftpNote();
  if (!$("[data-f=internalAddress]", form).value) $("#fw-device").focus();
};
$$("#fw-pasv-start, #fw-pasv-end").forEach(function (i) { i.addEventListener("input", ftpNote); });
$("#fw-ftp-preset").onclick = function () {
  var form = $("#fw-form");
  ftpPreset = true; ftpsMode(false);
  fillForm(form, Object.assign(readForm(form), { name: "FTP server", protocol: "tcp", externalPort: "21", externalPortEnd: "", internalPort: "21", enabled: true }));
  ftpNote();
  if (!$("[data-f=internalAddress]", form).value) $("#fw-device").focus();
};
$$("#fw-form [data-f=externalPort], #fw-form [data-f=protocol]").forEach(function (i) { i.addEventListener("input", ftpNote); i.addEventListener("change", ftpNote); });
$("#fw-device").onchange = function () {
  var d = devices[+this.value], form = $("#fw-form");
  if (!d) return;
  $("[data-f=internalAddress]", form).value = d.address;
  if (!$("[data-f=name]", form).value && d.name) $("[data-f=name]", form).value = d.name;
};

// Devices: DHCP leases and ARP entries, with "reserve this address" and "forward a port to this device".
function deviceLabel(d) { return (d.name || "unnamed device") + " \u2013 " + d.address + " (" + d.mac + ")"; }
async function loadDevices() {
  // The router answers a page at a time (its buffer is small on some boards): ask until every device is here.
  var list = [];
  for (var page = 0; page < 64; page++) {
    var r = await api("GET", "/api/devices?page=" + page);
    if (r.status !== 200) { $("#dev-err").textContent = "Could not list the devices: " + r.error; return; }
    list = list.concat(r.devices);
    if (!r.devices.length || list.length >= r.total) break;
  }
  devices = list;
  var sel = $("#fw-device"), conn = $("#conn-device"), keep = conn.value;
  [sel, conn].forEach(function (s) { while (s.options.length > 1) s.remove(1); });
  devices.forEach(function (d, i) { sel.appendChild(new Option(deviceLabel(d), i)); conn.appendChild(new Option(deviceLabel(d), d.address)); });
  conn.value = keep;
  var body = $("#dev-list"); body.textContent = "";
  devices.forEach(function (d) {
    var tr = el("tr"), td = el("td", undefined, "actions");
    cells(tr, ["Name", "MAC address", "Address", "Lease", "Reserved", "Last seen"],
      [d.name || "\u2013", d.mac, d.address, d.lease === "active" ? duration(d.leaseSecondsLeft) + " left" : d.lease || "static address", d.reserved ? "yes" : "no", d.lastSeenSeconds < 0 ? "not yet" : duration(d.lastSeenSeconds) + " ago"]);
    if (!d.reserved) { var res = el("button", "Reserve address", "small secondary"); res.onclick = function () { reserve(d); }; td.appendChild(res); }
    var fw = el("button", "Forward a port", "small secondary");
    fw.onclick = function () { location.hash = "#forwarding"; openEditor("forwards", -1); $("#fw-form [data-f=internalAddress]").value = d.address; $("#fw-form [data-f=name]").value = d.name || ""; };
    td.appendChild(fw); tr.appendChild(td); body.appendChild(tr);
  });
  if (!devices.length) { var e = el("tr"), c = el("td", "No devices seen yet.", "empty"); c.colSpan = 7; e.appendChild(c); body.appendChild(e); }
}
async function reserve(d) {
  $("#dev-ok").textContent = $("#dev-err").textContent = "";
  var n = await api("GET", "/api/network");
  n.dhcp.reservations.push({ mac: d.mac, address: d.address });
  delete n.wanLearned;
  var r = await api("PUT", "/api/network", n);
  if (r.status !== 200) { $("#dev-err").textContent = "Could not reserve " + d.address + ": " + r.error; return; }
  $("#dev-ok").textContent = d.address + " is now reserved for " + (d.name || d.mac) + ".";
  loadDevices();
}
$("#dev-refresh").onclick = loadDevices;

// Connections: one bounded page of the conntrack table, optionally for one device.
function endpoint(e, protocol) { return protocol === "icmp" ? e.address + " id " + e.port : e.address + ":" + e.port; }
async function loadConnections() {
  var device = $("#conn-device").value;
  var r = await api("GET", "/api/connections?page=" + connPage + (device ? "&device=" + device : ""));
  var pages = Math.max(1, Math.ceil(r.total / r.pageSize));
  if (connPage >= pages) { connPage = pages - 1; if (r.total) return loadConnections(); }
  var body = $("#conn-list"); body.textContent = "";
  r.connections.forEach(function (c) {
    var tr = el("tr");
    cells(tr, ["Protocol", "Inside", "Outside", "Remote", "State", "Idle", "Helper"],
      [c.protocol.toUpperCase() + (c.direction === "in" ? " in" : ""), endpoint(c.inside, c.protocol), endpoint(c.outside, c.protocol), endpoint(c.remote, c.protocol), c.state.replace(/_/g, " ").toLowerCase(), c.idleSeconds + " s of " + c.timeoutSeconds + " s", c.helper || "\u2013"]);
    body.appendChild(tr);
  });
  if (!r.connections.length) { var e = el("tr"), td = el("td", "No connections" + (device ? " for " + device : "") + ".", "empty"); td.colSpan = 7; e.appendChild(td); body.appendChild(e); }
  $("#conn-summary").textContent = r.used + " of " + r.capacity + " connection slots in use" + (device ? "; " + r.total + " of them for " + device : "") + ".";
  $("#conn-page").textContent = "page " + (connPage + 1) + " of " + pages;
  $("#conn-prev").disabled = connPage === 0; $("#conn-next").disabled = connPage + 1 >= pages;
}
$("#conn-prev").onclick = function () { connPage--; loadConnections(); };
$("#conn-next").onclick = function () { connPage++; loadConnections(); };
$("#conn-device").onchange = function () { connPage = 0; loadConnections(); };
$("#tr-add").onclick = function () { openEditor("triggers", -1); };

async function loadSimple(path, form, fill) { clearErrors(form); (fill || fillForm)(form, await api("GET", path)); }
function simpleForm(form, path, read, fill) {
  form.addEventListener("submit", async function (ev) {
    ev.preventDefault(); clearErrors(form);
    var r = await api("PUT", path, (read || readForm)(form));
    if (r.status !== 200) return showError(form, r);
    var said = (fill || fillForm)(form, r); $(".ok", form).textContent = said || "Saved and applied.";
  });
}

// LAN/WAN: "dhcp.x" inputs go into the dhcp object; reservations come from their table rows in order, so the
// server's "dhcp.reservations[i].mac" names row i.
function readNetwork(form) {
  var o = readForm(form), d = { reservations: [] };
  o.moveHosts = !$("#move-row").hidden && $("#move-hosts").checked;
  Object.keys(o).forEach(function (k) { if (k.indexOf("dhcp.") === 0) { d[k.slice(5)] = o[k]; delete o[k]; } });
  $$("#dhcp-res tr").forEach(function (tr) { d.reservations.push({ mac: $("[data-r=mac]", tr).value.trim(), address: $("[data-r=address]", tr).value.trim() }); });
  o.dhcp = d;
  return o;
}
// Returns what to tell the user after a save when the LAN address moved (the router applies it once this reply has left).
function fillNetwork(form, o) {
  var before = network;
  network = o;
  dl("#wan-learned-list", [["Address", o.wanLearned.address ? o.wanLearned.address + "/" + o.wanLearned.prefixLength : "not yet"], ["Gateway", o.wanLearned.gateway || "\u2013"], ["DNS", [o.wanLearned.dns1, o.wanLearned.dns2].filter(Boolean).join(", ") || "\u2013"]]);
  Object.keys(o.dhcp).forEach(function (k) { o["dhcp." + k] = o.dhcp[k]; });
  fillForm(form, o);
  reservationCapacity = o.dhcp.reservationCapacity;
  $("#dhcp-res").textContent = "";
  o.dhcp.reservations.forEach(function (r) { addReservation(r); });
  reservationsChanged();
  networkChanged();
  if (before && (before.lanAddress !== o.lanAddress || +before.lanPrefixLength !== +o.lanPrefixLength)) {
    return "Saved. The router now answers at http://" + o.lanAddress + "/ : reconnect this device to the network (or renew its address), then open that address.";
  }
}
// A new LAN subnet offers to move forwards, pool and reservations with it; DHCP mode shows what was learned instead of the static fields.
function networkChanged() {
  var form = $("#net-form"), v = readForm(form);
  $("#move-row").hidden = !network || (v.lanAddress === network.lanAddress && +v.lanPrefixLength === +network.lanPrefixLength);
  $("#wan-static").hidden = v.wanMode === "dhcp";
  $("#wan-learned").hidden = v.wanMode !== "dhcp";
}
$$("#net-form [data-f=lanAddress], #net-form [data-f=lanPrefixLength], #net-form [data-f=wanMode]").forEach(function (i) { i.addEventListener("input", networkChanged); i.addEventListener("change", networkChanged); });
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
  if (r.status === 401 && await reauth()) return;
  if (r.status !== 200) return showError(form, r);
  form.reset(); start();
});
$("#logout").onclick = async function () { await api("POST", "/api/logout", {}); csrf = ""; showAuth(false); };
$("#pw-form").addEventListener("submit", async function (ev) {
  ev.preventDefault(); var form = ev.target, v = readForm(form); clearErrors(form);
  if (v.password !== v.confirm) return showError(form, { field: "confirm", error: "the new passwords differ" });
  var r = await api("POST", "/api/password", { current: v.current, password: v.password });
  if (r.status !== 200) return showError(form, r);
  csrf = r.csrf; form.reset(); $(".ok", form).textContent = "Password changed; other sessions were logged out.";
});
$("#backup").onclick = async function () {
  $("#backup-err").textContent = "";
  var res;
  try { res = await fetch("/api/backup", { credentials: "same-origin" }); }
  catch (e) { banner("Cannot reach the router. Check that this device is connected to the router's network, then try again."); return; }
  banner("");
  if (res.status === 401) return reauth("Your session has ended, so the backup was not downloaded: log in again, then download it from the Admin page.");
  if (!res.ok || (res.headers.get("Content-Type") || "").indexOf("octet-stream") < 0) { $("#backup-err").textContent = "Backup failed: " + statusMessage(res.status); return; }
  var blob = await res.blob(), a = el("a");
  a.href = URL.createObjectURL(blob); a.download = "router-config.bin"; document.body.appendChild(a); a.click(); a.remove();
};
$("#restore-form").addEventListener("submit", async function (ev) {
  ev.preventDefault(); var form = ev.target; clearErrors(form);
  var file = $("[data-f=file]", form).files[0];
  if (!file) return showError(form, { field: "file", error: "choose a backup file" });
  // A body the router cannot take is refused (413) before it is read; say so before sending it.
  if (maxUpload && file.size > maxUpload) return showError(form, { field: "file", error: "too large: this is not a backup of this router (at most " + maxUpload + " bytes, this file has " + file.size + ")" });
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

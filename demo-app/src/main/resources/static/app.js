'use strict';
// Upload page: each file is posted on its own to /files?id=...; its progress bar follows the
// server's FileProgressEvents, pushed over Server-Sent Events from /events.
(() => {
  const rows = new Map();
  const tbody = document.querySelector('#uploads tbody');
  const live = document.getElementById('live');

  const fmtBytes = (n) => {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  };
  const newId = () => Math.random().toString(36).slice(2) + Date.now().toString(36);
  const idOf = (query) => new URLSearchParams(query || '').get('id');

  function setProgress(row, bytes) {
    const pct = row.size === 0 ? 100 : Math.min(100, Math.floor(bytes * 100 / row.size));
    row.fill.style.width = pct + '%';
    row.label.textContent = pct + ' %';
    row.tr.dataset.progress = String(pct);
  }

  function fail(row, message) {
    if (row.finished) return;
    row.finished = true;
    row.tr.classList.add('failed');
    row.status.innerHTML = '';
    const p = document.createElement('span');
    p.className = 'error';
    p.textContent = message;
    row.status.appendChild(p);
  }

  function addRow(file, id) {
    document.getElementById('empty').hidden = true;
    const tr = document.createElement('tr');
    tr.dataset.id = id;
    tr.innerHTML = '<td class="name"></td><td class="num size"></td><td><div class="bar"><div></div><span>0 %</span></div></td>'
      + '<td class="num time"></td><td class="num rate"></td><td class="hash"></td>';
    tr.querySelector('.name').textContent = file.name;
    tr.querySelector('.size').textContent = fmtBytes(file.size);
    tbody.prepend(tr);
    const row = { tr, size: file.size, fill: tr.querySelector('.bar > div'), label: tr.querySelector('.bar > span'),
      status: tr.querySelector('.hash'), finished: false };
    rows.set(id, row);
    return row;
  }

  async function upload(file) {
    const id = newId();
    const row = addRow(file, id);
    const form = new FormData();
    form.append('file', file, file.name);
    const start = performance.now();
    try {
      const response = await fetch('/files?id=' + encodeURIComponent(id), { method: 'POST', body: form });
      if (!response.ok) {
        fail(row, 'Refused by the server: ' + response.status + ' ' + (await response.text()).trim());
        return;
      }
      const result = (await response.json()).files[0];
      const seconds = (performance.now() - start) / 1000;
      row.finished = true;
      setProgress(row, row.size);
      row.tr.classList.add('done');
      row.tr.querySelector('.time').textContent = seconds.toFixed(2) + ' s';
      row.tr.querySelector('.rate').textContent = fmtBytes(result.size / Math.max(seconds, 0.001)) + '/s';
      row.status.textContent = result.sha256;
      row.tr.querySelector('.size').textContent = fmtBytes(result.size);
      refreshStored();
    } catch (e) {
      // the server may refuse mid-body and close; its UploadFailedEvent says why, if it has not yet
      setTimeout(() => fail(row, 'Upload interrupted: the server closed the connection'), 1500);
    }
  }

  function connectEvents() {
    const source = new EventSource('/events');
    source.onopen = () => { live.textContent = 'server events: live'; live.classList.add('on'); };
    source.onerror = () => { live.textContent = 'server events: reconnecting…'; live.classList.remove('on'); };
    const onFileEvent = (e) => {
      const data = JSON.parse(e.data);
      const row = rows.get(idOf(data.query));
      if (!row) return;
      row.tr.dataset.serverEvents = String(Number(row.tr.dataset.serverEvents || 0) + 1);
      if (e.type === 'failed') {
        const cap = /over (\d+) bytes/.exec(data.reason || '');
        const why = cap ? 'over the ' + fmtBytes(Number(cap[1])) + ' limit' : data.reason;
        fail(row, 'Refused by the server (' + data.status + '): ' + why);
      } else if (!row.finished) {
        setProgress(row, data.bytes);
      }
    };
    for (const type of ['opened', 'progress', 'received', 'failed']) source.addEventListener(type, onFileEvent);
  }

  async function refreshStored() {
    const list = document.getElementById('stored');
    const files = await (await fetch('/files')).json();
    list.innerHTML = '';
    for (const f of files) {
      const li = document.createElement('li');
      const a = document.createElement('a');
      a.href = '/files/' + encodeURIComponent(f.name);
      a.textContent = f.name;
      const small = document.createElement('small');
      small.textContent = fmtBytes(f.size);
      li.append(a, small);
      list.appendChild(li);
    }
    if (files.length === 0) list.innerHTML = '<li class="hint">No stored files.</li>';
  }

  const drop = document.getElementById('drop');
  const picker = document.getElementById('picker');
  picker.addEventListener('change', () => { [...picker.files].forEach(upload); picker.value = ''; });
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', (e) => [...e.dataTransfer.files].forEach(upload));

  connectEvents();
  refreshStored();
})();

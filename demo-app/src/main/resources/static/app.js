'use strict';
// Upload page. Every file is posted on its own to /files?upload-id=PAGE as the form field
// of its row; its progress bar follows the server's upload events, which the server's private
// progress channel (/evhttp/progress/PAGE) sends to this page only: PAGE is a random id only
// this page knows. At most three uploads run at once (browsers open six connections per host,
// and the progress stream and the resumable section need theirs); the rest wait their turn.
(() => {
  const MAX_PARALLEL = 3;
  const rows = new Map();
  const queue = [];
  let running = 0;
  let maxFileSize = Infinity;
  const tbody = document.querySelector('#uploads tbody');
  const live = document.getElementById('live');
  const overall = document.getElementById('overall');
  const overallText = document.getElementById('overall-text');
  const seen = [];
  window.evhttpProgressSeen = seen; // what reached this page, for the browser test

  const randomId = () => [...crypto.getRandomValues(new Uint8Array(16))]
    .map((b) => b.toString(16).padStart(2, '0')).join('');
  const pageId = randomId();
  let nextRow = 0;

  const fmtBytes = (n) => {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  };

  function setProgress(row, bytes) {
    row.bytes = Math.min(bytes, row.size);
    const pct = row.size === 0 ? 100 : Math.min(100, Math.floor(bytes * 100 / row.size));
    row.progress.value = pct;
    row.label.textContent = pct + ' %';
    row.tr.dataset.progress = String(pct);
    showOverall();
  }

  // Uploads of this page since the last time none was running or waiting.
  function showOverall() {
    // refused and cancelled uploads leave the sum
    const all = [...rows.values()].filter((r) => r.batch === batch && !r.failed);
    const total = all.reduce((sum, r) => sum + r.size, 0);
    const sent = all.reduce((sum, r) => sum + (r.finished ? r.size : r.bytes), 0);
    overall.max = Math.max(total, 1);
    overall.value = sent;
    const seconds = (performance.now() - batchStart) / 1000;
    overallText.textContent = all.length === 0 ? ''
      : fmtBytes(sent) + ' of ' + fmtBytes(total) + ' · ' + fmtBytes(sent / Math.max(seconds, 0.001)) + '/s';
  }

  function end(row, className, message) {
    if (row.finished) return;
    row.finished = true;
    row.failed = className !== 'done';
    row.tr.classList.add(className);
    row.cancel.remove();
    if (message) {
      row.status.innerHTML = '';
      const p = document.createElement('span');
      p.className = 'error';
      p.textContent = message;
      row.status.appendChild(p);
    }
    showOverall();
  }

  let batch = 0;
  let batchStart = performance.now();

  function addRow(file) {
    if (running === 0 && queue.length === 0) { batch++; batchStart = performance.now(); }
    document.getElementById('empty').hidden = true;
    const id = 'f' + (nextRow++);
    const tr = document.createElement('tr');
    tr.dataset.id = id;
    tr.innerHTML = '<td class="name"></td><td class="num size"></td>'
      + '<td><div class="bar"><progress max="100" value="0"></progress><span>0 %</span></div></td>'
      + '<td class="num time"></td><td class="num rate"></td><td class="hash"></td>'
      + '<td><button type="button" class="cancel">Cancel</button></td>';
    tr.querySelector('.name').textContent = file.name;
    tr.querySelector('.size').textContent = fmtBytes(file.size);
    const progress = tr.querySelector('progress');
    progress.setAttribute('aria-label', 'Upload of ' + file.name);
    tbody.prepend(tr);
    const row = { id, tr, file, size: file.size, bytes: 0, batch, progress, label: tr.querySelector('.bar > span'),
      status: tr.querySelector('.hash'), cancel: tr.querySelector('.cancel'), finished: false, failed: false,
      abort: new AbortController() };
    row.cancel.addEventListener('click', () => {
      row.abort.abort();
      end(row, 'cancelled', 'Cancelled');
    });
    rows.set(id, row);
    return row;
  }

  function enqueue(file) {
    const row = addRow(file);
    if (file.size > maxFileSize) {
      end(row, 'failed', 'Not sent: over the ' + fmtBytes(maxFileSize) + ' limit');
      return;
    }
    queue.push(row);
    pump();
  }

  function pump() {
    while (running < MAX_PARALLEL && queue.length > 0) {
      const row = queue.shift();
      if (row.finished) continue;
      running++;
      upload(row).finally(() => { running--; pump(); });
    }
  }

  async function upload(row) {
    const form = new FormData();
    form.append(row.id, row.file, row.file.name);
    const start = performance.now();
    try {
      const response = await fetch('/files?upload-id=' + pageId, { method: 'POST', body: form, signal: row.abort.signal });
      if (!response.ok) {
        end(row, 'failed', 'Refused by the server: ' + response.status + ' ' + (await response.text()).trim());
        return;
      }
      const result = (await response.json()).files[0];
      const seconds = (performance.now() - start) / 1000;
      setProgress(row, row.size);
      row.tr.querySelector('.time').textContent = seconds.toFixed(2) + ' s';
      row.tr.querySelector('.rate').textContent = fmtBytes(result.size / Math.max(seconds, 0.001)) + '/s';
      row.status.textContent = result.sha256;
      row.tr.querySelector('.size').textContent = fmtBytes(result.size);
      end(row, 'done');
      refreshStored();
    } catch (e) {
      if (row.abort.signal.aborted) return;
      // the server may refuse mid-body and close; its failed event says why, if it has not yet
      setTimeout(() => end(row, 'failed', 'Upload interrupted: the server closed the connection'), 1500);
    }
  }

  function connectProgress() {
    const source = new EventSource('/evhttp/progress/' + pageId);
    source.onopen = () => { live.textContent = 'server progress: live'; live.classList.add('on'); };
    source.onerror = () => { live.textContent = 'server progress: reconnecting…'; live.classList.remove('on'); };
    const onFileEvent = (e) => {
      const data = JSON.parse(e.data);
      seen.push(data.filename);
      const row = rows.get(data.field);
      if (!row) return;
      row.tr.dataset.serverEvents = String(Number(row.tr.dataset.serverEvents || 0) + 1);
      if (e.type === 'failed') {
        const why = data.limit >= 0 && data.code ? 'over the ' + fmtBytes(data.limit) + ' limit' : data.reason;
        end(row, 'failed', 'Refused by the server (' + data.status + '): ' + why);
      } else if (!row.finished) {
        setProgress(row, data.bytes);
      }
    };
    for (const type of ['opened', 'progress', 'received', 'failed']) source.addEventListener(type, onFileEvent);
  }

  async function refreshStored() {
    const list = document.getElementById('stored');
    const response = await fetch('/files');
    const limit = /max-size=(\d+)/.exec(response.headers.get('Upload-Limit') || '');
    if (limit) {
      maxFileSize = Number(limit[1]);
      document.getElementById('limit').textContent = 'Up to ' + fmtBytes(maxFileSize) + ' a file.';
    }
    const files = await response.json();
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
  picker.addEventListener('change', () => { [...picker.files].forEach(enqueue); picker.value = ''; });
  ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.add('over'); }));
  ['dragleave', 'drop'].forEach((t) => drop.addEventListener(t, (e) => { e.preventDefault(); drop.classList.remove('over'); }));
  drop.addEventListener('drop', (e) => [...e.dataTransfer.files].forEach(enqueue));

  connectProgress();
  refreshStored();
})();

'use strict';
// Resumable uploads with tus-js-client (served from the demo's jar as /tus.min.js) to /resumable/.
// tus-js-client remembers each upload's URL in localStorage under the file's fingerprint (name,
// type, size, modification time), so the same file chosen again after a reload goes on from
// the offset the server has stored.
(() => {
  const CHUNK = 1024 * 1024;
  const tbody = document.querySelector('#resumable tbody');
  const unfinished = document.getElementById('unfinished');

  const fmtBytes = (n) => {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
  };

  function addRow(file) {
    const tr = document.createElement('tr');
    tr.innerHTML = '<td class="name"></td><td class="num size"></td><td><div class="bar"><div></div><span>0 %</span></div></td>'
      + '<td><button type="button" class="toggle">Pause</button></td><td class="url"></td>';
    tr.querySelector('.name').textContent = file.name;
    tr.querySelector('.size').textContent = fmtBytes(file.size);
    tr.dataset.state = 'uploading';
    tbody.prepend(tr);
    return tr;
  }

  function setProgress(tr, sent, total) {
    const pct = total === 0 ? 100 : Math.min(100, Math.floor(sent * 100 / total));
    tr.querySelector('.bar > div').style.width = pct + '%';
    tr.querySelector('.bar > span').textContent = pct + ' %';
    tr.dataset.progress = String(pct);
  }

  function showUrl(tr, url) {
    if (!url || tr.dataset.url === url) return;
    tr.dataset.url = url;
    const a = document.createElement('a');
    a.href = url;
    a.textContent = new URL(url, location.href).pathname;
    tr.querySelector('.url').replaceChildren(a);
  }

  async function upload(file) {
    const tr = addRow(file);
    const toggle = tr.querySelector('.toggle');
    const tus = new window.tus.Upload(file, {
      endpoint: '/resumable/',
      chunkSize: CHUNK,
      retryDelays: [0, 1000, 3000, 5000],
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream' },
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => { setProgress(tr, sent, total); showUrl(tr, tus.url); },
      onSuccess: () => {
        setProgress(tr, file.size, file.size);
        showUrl(tr, tus.url);
        tr.dataset.state = 'done';
        tr.classList.add('done');
        toggle.remove();
        listUnfinished();
      },
      onError: (error) => {
        tr.dataset.state = 'failed';
        tr.classList.add('failed');
        const span = document.createElement('span');
        span.className = 'error';
        span.textContent = 'Failed: ' + error.message;
        tr.querySelector('.url').replaceChildren(span);
        toggle.remove();
      },
    });
    toggle.addEventListener('click', async () => {
      if (tr.dataset.state === 'uploading') {
        toggle.disabled = true;
        await tus.abort(); // keeps what the server stored; the URL stays in localStorage
        tr.dataset.state = 'paused';
        toggle.textContent = 'Resume';
        toggle.disabled = false;
        listUnfinished();
      } else if (tr.dataset.state === 'paused') {
        tr.dataset.state = 'uploading';
        toggle.textContent = 'Pause';
        tus.start();
      }
    });
    const previous = await tus.findPreviousUploads();
    if (previous.length > 0) {
      tus.resumeFromPreviousUpload(previous[0]);
      tr.dataset.resumed = 'true';
    }
    tus.start();
  }

  async function listUnfinished() {
    const uploads = await window.tus.defaultOptions.urlStorage.findAllUploads();
    unfinished.replaceChildren(...uploads.map((u) => {
      const li = document.createElement('li');
      const name = (u.metadata && u.metadata.filename) || 'a file';
      li.textContent = 'Unfinished: ' + name + ' (' + fmtBytes(u.size) + ') — choose it again to resume';
      return li;
    }));
  }

  const picker = document.getElementById('resumable-picker');
  if (!window.tus || !window.tus.isSupported) {
    document.getElementById('resumable-drop').textContent = 'This browser cannot run tus-js-client.';
    return;
  }
  picker.addEventListener('change', () => { [...picker.files].forEach(upload); picker.value = ''; });
  listUnfinished();
})();

// Keeps the records page's "Pages" column current while records are converted and read in the background.
// It polls the page's JSON progress (?handler=Progress) every two seconds while anything is busy and writes the
// state in words into each row. When a record finishes or fails, or an e-mail's attachments appear as new records,
// it fetches the page again and swaps in its table, so links, counts and buttons come from one place: the server.
(function () {
    'use strict';
    var summary = document.getElementById('records-progress');
    var table = document.getElementById('records');
    if (!summary || !table || summary.getAttribute('data-busy') !== 'true') {
        return;
    }
    var address = summary.getAttribute('data-progress');
    var interval = 2000;

    function rowOf(id) {
        return table.querySelector('tr[data-record="' + id + '"]');
    }

    function showProgress(row, record) {
        var cell = row.querySelector('.pages-state');
        var words = cell && cell.querySelector('.state-words');
        if (words) {
            words.textContent = record.words;
        }
        var bar = cell && cell.querySelector('progress');
        if (bar) {
            bar.max = Math.max(1, record.pageCount);
            bar.value = record.pagesDone;
            bar.textContent = record.pagesDone + ' of ' + record.pageCount;
        }
        var left = cell && cell.querySelector('.time-left');
        if (left) {
            left.textContent = record.timeLeft || '';
        }
    }

    function refreshTable() {
        return fetch(window.location.pathname, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
            .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
            .then(function (html) {
                var fresh = new DOMParser().parseFromString(html, 'text/html');
                var freshTable = fresh.getElementById('records');
                var freshSummary = fresh.getElementById('records-progress');
                if (freshTable) {
                    table.replaceWith(freshTable);
                    table = freshTable;
                }
                if (freshSummary) {
                    summary.textContent = freshSummary.textContent;
                    summary.setAttribute('data-busy', freshSummary.getAttribute('data-busy'));
                }
            });
    }

    function poll() {
        fetch(address, { credentials: 'same-origin', headers: { 'Accept': 'application/json' } })
            .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
            .then(function (progress) {
                var needsTable = false;
                progress.records.forEach(function (record) {
                    var row = rowOf(record.id);
                    if (!row || row.classList.contains('busy') !== record.busy) {
                        needsTable = true;
                    } else {
                        showProgress(row, record);
                    }
                });
                if (table.querySelectorAll('tbody tr').length !== progress.records.length) {
                    needsTable = true;
                }
                var next = needsTable ? refreshTable() : Promise.resolve();
                return next.then(function () {
                    if (progress.busy) {
                        window.setTimeout(poll, interval);
                    } else {
                        summary.setAttribute('data-busy', 'false');
                    }
                });
            })
            .catch(function () {
                // A failed poll (signed out, server restarting) stops updating and says so; a reload starts again.
                summary.textContent = 'Progress stopped updating; reload the page to see the latest.';
            });
    }

    window.setTimeout(poll, interval);
})();

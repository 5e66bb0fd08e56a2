// Fills the "add a redaction" form with the offsets of the text selected in the record (#record-text).
// Offsets count UTF-16 code units from the start of the element's text, which is exactly the record's extracted text,
// the same units the server's string indices use. Without script the officer types the offsets or the exact text.
(function () {
    'use strict';
    var text = document.getElementById('record-text');
    var form = document.getElementById('add-redaction');
    if (!text || !form) {
        return;
    }
    var start = form.querySelector('[name="Add.Start"]');
    var end = form.querySelector('[name="Add.End"]');
    var exact = form.querySelector('[name="Add.Exact"]');
    var shown = document.getElementById('selection');

    function offsetOf(node, offset) {
        var range = document.createRange();
        range.selectNodeContents(text);
        range.setEnd(node, offset);
        return range.toString().length;
    }

    document.addEventListener('selectionchange', function () {
        var selection = document.getSelection();
        if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
            return;
        }
        var range = selection.getRangeAt(0);
        if (!text.contains(range.startContainer) || !text.contains(range.endContainer)) {
            return;
        }
        start.value = offsetOf(range.startContainer, range.startOffset);
        end.value = offsetOf(range.endContainer, range.endOffset);
        exact.value = '';
        shown.textContent = range.toString();
    });
})();

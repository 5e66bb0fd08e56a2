// Prints the Massachusetts public holidays npm date-holidays computes for the given years, one JSON object per line
// inside an array: the golden file of tests/RecordsRequests.Tests/Deadlines/CalendarCrossCheckTests, written by
// ./regenerate. An independent implementation: nothing of ours runs here.
const Holidays = require('date-holidays');
const [first, last] = process.argv.slice(2).map(Number);
const massachusetts = new Holidays('US', 'MA');
const days = [];
for (let year = first; year <= last; year++) {
  for (const h of massachusetts.getHolidays(year)) {
    days.push({ date: h.date.slice(0, 10), name: h.name, type: h.type, substitute: h.substitute === true });
  }
}
process.stdout.write('[\n' + days.map(d => JSON.stringify(d)).join(',\n') + '\n]\n');

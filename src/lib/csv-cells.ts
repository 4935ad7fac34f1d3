// Cells echoed from someone's upload into a CSV we hand back: a leading =, +, -, @, tab or return would make a
// spreadsheet run it as a formula (CSV injection), so such a cell gets a leading apostrophe, as OWASP advises.
export function spreadsheetSafe(cell: string): string {
  return /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

// USWDS's file input names each upload field by its own instructions ("Drag file here or choose from folder", then
// "Change file") through aria-label, so a screen reader never hears the field's label ("835 file", "Roster CSV").
// aria-labelledby outranks aria-label: every file input is named by its label again, whatever USWDS sets later.
for (const input of document.querySelectorAll('input[type="file"][id]')) {
  const label = document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
  if (!label) continue;
  if (!label.id) label.id = `${input.id}-label`;
  input.setAttribute('aria-labelledby', label.id);
}

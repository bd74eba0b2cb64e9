/**
 * A `ModelEdit` as a change of a model file's text: parse, apply, serialise deterministically, keep
 * only the differing lines. Pure (no vscode), so unit tests check exactly what the editor will do.
 *
 * A file in the canonical layout (everything CNN Studio writes) changes only where the model changed.
 * A hand-formatted file is re-laid-out on its first designer edit (still one WorkspaceEdit, one undo).
 */
import { applyModelEdit } from '../../core/applyModelEdit';
import { parseModelText, serializeModel } from '../../core/loader';
import type { ModelEdit } from '../../core/modelEdit';
import { minimalReplacements, type TextReplacement } from './minimalTextEdit';
import { UserFacingError } from '../userFacingError';

/** Empty when the edit changes nothing. Throws a user-facing error when the text is not a model or the edit does not apply. */
export function modelEditToReplacements(text: string, edit: ModelEdit): TextReplacement[] {
  const { model, diagnostics } = parseModelText(text);
  if (!model) {
    const why = diagnostics.find((d) => d.severity === 'error')?.message ?? 'it is not a valid model';
    throw new UserFacingError(`The model file cannot be changed while it is broken: ${why} Fix it in the text editor (see the Problems panel), then try again.`);
  }
  return minimalReplacements(text, serializeModel(applyModelEdit(model, edit)));
}

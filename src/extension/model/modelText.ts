/**
 * A model document's text as the designer and the Problems panel see it. Pure (no vscode); the
 * protocol's `designerContentFromParse` builds the snapshot content the same way the browser tests do.
 */
import { jsonErrorOffset } from '../../core/jsonErrorOffset';
import { parseModelText } from '../../core/loader';
import { designerContentFromParse, type DesignerContent } from '../../protocol/designer';

export function readModelText(text: string): DesignerContent {
  return designerContentFromParse(parseModelText(text));
}

/** Offset of the first JSON syntax error, if the text has one. */
export function syntaxErrorOffset(text: string): number | undefined {
  const at = jsonErrorOffset(text);
  return at < 0 ? undefined : at;
}

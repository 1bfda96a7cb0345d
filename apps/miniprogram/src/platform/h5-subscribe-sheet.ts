// The H5 build's stand-in for WeChat's subscription consent sheet: plain DOM on top of the page, since it is shown
// from the platform layer (no React tree of its own) and only ever in a browser.
import type { SheetChoice, SubscribeSheetItem } from './h5';

export const SHEET_CLASS = 'subscribe-sheet';

/** 允许 keeps the ticked templates and refuses the others; 拒绝 refuses every one. */
export function sheetChoices(
  items: readonly SubscribeSheetItem[],
  ticked: ReadonlySet<string>,
  allowed: boolean,
): Record<string, SheetChoice> {
  const choices: Record<string, SheetChoice> = {};
  for (const { id } of items) choices[id] = allowed && ticked.has(id) ? 'accept' : 'reject';
  return choices;
}

const STYLES = {
  mask: 'position:fixed;inset:0;z-index:10000;display:flex;align-items:flex-end;justify-content:center;background:rgba(0,0,0,.45);',
  sheet:
    'box-sizing:border-box;width:100%;max-width:640px;padding:20px 20px 24px;border-radius:16px 16px 0 0;background:#fff;font-size:15px;color:#1f1b2e;',
  title: 'margin:0 0 6px;font-size:17px;font-weight:600;',
  note: 'margin:0 0 14px;font-size:13px;line-height:1.5;color:#8a8a99;',
  item: 'display:flex;align-items:center;gap:10px;padding:10px 0;border-top:1px solid #f0f0f4;',
  buttons: 'display:flex;gap:12px;margin-top:18px;',
  button: 'flex:1;height:42px;border:none;border-radius:8px;font-size:16px;',
  reject: 'background:#f0f0f4;color:#1f1b2e;',
  allow: 'background:#07c160;color:#fff;',
} as const;

/**
 * Shows the sheet over the page and resolves once the tester answers: with 允许, each ticked template is accepted
 * (all are ticked at first, as WeChat's switches are); 拒绝 or Escape refuses them all. The sheet removes itself.
 */
export function showSubscribeSheet(
  doc: Document,
  items: readonly SubscribeSheetItem[],
): Promise<Record<string, SheetChoice>> {
  return new Promise((resolve) => {
    const element = <K extends keyof HTMLElementTagNameMap>(tag: K, style: string, className?: string) => {
      const node = doc.createElement(tag);
      node.setAttribute('style', style);
      if (className) node.className = className;
      return node;
    };

    const mask = element('div', STYLES.mask, SHEET_CLASS);
    mask.setAttribute('role', 'dialog');
    mask.setAttribute('aria-modal', 'true');
    const sheet = element('div', STYLES.sheet, `${SHEET_CLASS}__panel`);
    const title = element('p', STYLES.title, `${SHEET_CLASS}__title`);
    title.textContent = '「会员中心」申请向您发送以下消息';
    const note = element('p', STYLES.note, `${SHEET_CLASS}__note`);
    note.textContent = '每次「允许」，商家可向您发送一条对应消息（微信沙箱）';
    sheet.append(title, note);

    const boxes = items.map((item) => {
      const row = element('label', STYLES.item, `${SHEET_CLASS}__item`);
      row.dataset.templateId = item.id;
      const box = element('input', 'width:18px;height:18px;margin:0;');
      box.type = 'checkbox';
      box.checked = true;
      const text = element('span', '');
      text.textContent = item.title;
      row.append(box, text);
      sheet.append(row);
      return { id: item.id, box };
    });

    const buttons = element('div', STYLES.buttons);
    const reject = element('button', STYLES.button + STYLES.reject, `${SHEET_CLASS}__reject`);
    reject.type = 'button';
    reject.textContent = '拒绝';
    const allow = element('button', STYLES.button + STYLES.allow, `${SHEET_CLASS}__allow`);
    allow.type = 'button';
    allow.textContent = '允许';
    buttons.append(reject, allow);
    sheet.append(buttons);
    mask.append(sheet);

    function answer(allowed: boolean) {
      doc.removeEventListener('keydown', onKey);
      mask.remove();
      const ticked = new Set(boxes.filter(({ box }) => box.checked).map(({ id }) => id));
      resolve(sheetChoices(items, ticked, allowed));
    }
    function onKey(event: KeyboardEvent) {
      if (event.key === 'Escape') answer(false);
    }
    reject.addEventListener('click', () => answer(false));
    allow.addEventListener('click', () => answer(true));
    doc.addEventListener('keydown', onKey);
    doc.body.append(mask);
    allow.focus();
  });
}

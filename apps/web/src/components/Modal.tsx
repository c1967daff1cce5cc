import { useEffect, useRef, type ReactNode } from 'react';

/** Native modal dialog: focus is trapped by the browser, Escape closes it. */
export function Modal({ title, onClose, children, wide }: { title: string; onClose: () => void; children: ReactNode; wide?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) {
      d.showModal();
      // showModal focuses the first focusable (the close button); start in the first field instead
      d.querySelector<HTMLElement>('[data-autofocus], .modal-body input')?.focus();
    }
    return () => d?.close();
  }, []);
  return (
    <dialog ref={ref} className={wide ? 'modal wide' : 'modal'} aria-label={title} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <header className="modal-head">
        <h2>{title}</h2>
        <button type="button" className="icon-btn" aria-label="Close" onClick={onClose}>✕</button>
      </header>
      <div className="modal-body">{children}</div>
    </dialog>
  );
}

import { useCallback, useRef, useState } from 'react';

export interface ToastState {
  text: string;
  kind: 'ok' | 'error';
  n: number;
}

export function useToast(): { state: ToastState | undefined; show(text: string, kind: 'ok' | 'error'): void } {
  const [state, setState] = useState<ToastState>();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const show = useCallback((text: string, kind: 'ok' | 'error') => {
    clearTimeout(timer.current);
    setState((s) => ({ text, kind, n: (s?.n ?? 0) + 1 }));
    timer.current = setTimeout(() => setState(undefined), 5000);
  }, []);
  return { state, show };
}

export function Toast({ state }: { state: ToastState | undefined }) {
  return (
    <div className="toast-area" role="status" aria-live="polite">
      {state && <div key={state.n} className={`toast toast-${state.kind}`} data-testid="toast">{state.text}</div>}
    </div>
  );
}

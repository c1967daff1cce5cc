import { useId } from 'react';

/** Decimal text input with a label and a unit; keeps only digits and one dot. */
export function NumField({ label, unit, value, onChange, testId }: { label: string; unit: string; value: string; onChange(v: string): void; testId: string }) {
  const id = useId();
  return (
    <div className="num-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className="input" inputMode="decimal" autoComplete="off" spellCheck={false} value={value} data-testid={testId}
        onChange={(e) => onChange(e.target.value.replace(/,/g, '.').replace(/[^\d.]/g, ''))} />
      <span className="unit" aria-hidden="true">{unit}</span>
    </div>
  );
}

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { accounts, type ApiKeyInfo, type CreatedKey, type Permission } from '../api/account.ts';
import { errorText } from '../api/http.ts';
import { useSession } from '../hooks/session.tsx';
import { Modal } from './Modal.tsx';

/** List, create (the secret is shown exactly once) and revoke API keys. */
export function ApiKeysDialog({ onClose }: { onClose: () => void }) {
  const session = useSession();
  const [keys, setKeys] = useState<ApiKeyInfo[]>([]);
  const [label, setLabel] = useState('');
  const [perms, setPerms] = useState<Record<Permission, boolean>>({ READ: true, TRADE: false });
  const [created, setCreated] = useState<CreatedKey>();
  const [error, setError] = useState<string>();
  const [copied, setCopied] = useState(false);

  const reload = useCallback(async () => {
    try {
      setKeys(await accounts.listKeys());
    } catch (e) {
      setError(errorText(e));
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      const permissions = (Object.keys(perms) as Permission[]).filter((p) => perms[p]);
      setCreated(await accounts.createKey(label.trim() || 'api key', permissions));
      setLabel('');
      setCopied(false);
      await reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  const [confirming, setConfirming] = useState<string>();
  const revoke = async (k: string) => {
    if (confirming !== k) {
      setConfirming(k); // two-step: the first press asks, the second revokes
      return;
    }
    setConfirming(undefined);
    try {
      await accounts.revokeKey(k);
      if (created?.apiKey === k) setCreated(undefined);
      await reload();
    } catch (err) {
      setError(errorText(err));
    }
  };

  return (
    <Modal title="API keys" onClose={onClose} wide>
      <form className="key-create" onSubmit={create}>
        <label className="grow">Label<input className="input" value={label} onChange={(e) => setLabel(e.target.value)} placeholder="my trading bot" maxLength={64} /></label>
        <fieldset className="perms">
          <legend>Permissions</legend>
          {(['READ', 'TRADE'] as const).map((p) => (
            <label key={p} className="check">
              <input type="checkbox" checked={perms[p]} onChange={(e) => setPerms({ ...perms, [p]: e.target.checked })} /> {p === 'READ' ? 'Read' : 'Trade'}
            </label>
          ))}
        </fieldset>
        <button type="submit" className="btn btn-accent" data-testid="create-key">Create key</button>
      </form>
      {error && <p className="form-error" role="alert">{error}</p>}
      {created && (
        <div className="secret-box" role="status" data-testid="new-secret">
          <p><b>Copy the secret now.</b> It is shown only once and cannot be recovered.</p>
          <dl>
            <dt>API key</dt><dd><code>{created.apiKey}</code></dd>
            <dt>Secret key</dt><dd><code>{created.secretKey}</code></dd>
          </dl>
          <button type="button" className="btn btn-ghost" onClick={() => void navigator.clipboard?.writeText(created.secretKey).then(() => setCopied(true), () => undefined)}>
            {copied ? 'Copied' : 'Copy secret'}
          </button>
        </div>
      )}
      <table className="grid-table">
        <thead><tr><th>Label</th><th>API key</th><th>Permissions</th><th><span className="sr-only">Actions</span></th></tr></thead>
        <tbody>
          {keys.length === 0 && <tr><td colSpan={4} className="empty">No API keys</td></tr>}
          {keys.map((k) => (
            <tr key={k.apiKey}>
              <td>{k.label || '—'}{k.apiKey === session.creds?.apiKey && <span className="tag">this browser</span>}</td>
              <td><code>{k.apiKey.slice(0, 12)}…</code></td>
              <td>{k.permissions.join(', ')}</td>
              <td className="num">
                <button type="button" className="btn btn-small btn-danger" onClick={() => void revoke(k.apiKey)} disabled={k.apiKey === session.creds?.apiKey}
                  title={k.apiKey === session.creds?.apiKey ? 'Used by this browser session; log out to revoke it' : undefined}>
                  {confirming === k.apiKey ? 'Confirm revoke' : 'Revoke'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

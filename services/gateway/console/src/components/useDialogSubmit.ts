import { useState } from 'react';
import type { FormInstance } from 'antd';
import { ApiError } from '../api/client';
import { currentLanguage } from '../i18n';
import { formFieldErrors, type ItemName } from './fieldErrors';

export interface DialogSubmit {
  saving: boolean;
  /** What the dialog's alert shows: an error neither shown under a field nor handed on. */
  error: unknown;
  /**
   * Sends the dialog's request. The server's field errors appear under the form items `itemOf` names;
   * an error `handOn` takes (one about the whole case, task or plan, which the page explains) goes there;
   * any other to the dialog's alert. True when the request went through: the form is cleared then.
   */
  submit(request: () => Promise<unknown>): Promise<boolean>;
  /** Clears the form and the alert (when the dialog closes). */
  reset(): void;
}

/** The form items named like the server's fields, for `itemOf`. */
export const itemsNamed =
  (...fields: readonly string[]) =>
  (field: string): ItemName | null =>
    fields.includes(field) ? [field] : null;

/** A dialog that sends its form to the server: saving state, field errors inline, the rest in its alert. */
export function useDialogSubmit(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any form's values
  form: FormInstance<any>,
  itemOf: (field: string) => ItemName | null,
  handOn: (e: unknown) => boolean = () => false,
): DialogSubmit {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const submit = async (request: () => Promise<unknown>) => {
    setSaving(true);
    setError(null);
    try {
      await request();
      form.resetFields();
      return true;
    } catch (e) {
      const inline = e instanceof ApiError ? formFieldErrors(e.fieldErrors, currentLanguage(), itemOf) : [];
      if (inline.length) form.setFields(inline as Parameters<typeof form.setFields>[0]);
      else if (!handOn(e)) setError(e);
      return false;
    } finally {
      setSaving(false);
    }
  };
  const reset = () => {
    form.resetFields();
    setError(null);
  };
  return { saving, error, submit, reset };
}

/** For useDialogSubmit's `handOn`: errors `about` says concern the whole page go to `onFailure`. */
export const handOnTo =
  (about: (e: unknown) => boolean, onFailure: (e: unknown) => void) =>
  (e: unknown): boolean => {
    if (!about(e)) return false;
    onFailure(e);
    return true;
  };

/** A send that answers with its error (undefined when it went through) as a request that rejects with it. */
export async function rejectIfFailed(sent: Promise<unknown>): Promise<void> {
  const error = await sent;
  if (error) throw error;
}

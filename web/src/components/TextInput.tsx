/**
 * A labelled text field. The label is always visible (never a placeholder); a hint and an error are
 * tied to the input by React Aria (`aria-describedby`, `aria-invalid`).
 */
import { FieldError, Input, Label, Text, TextField, type TextFieldProps } from 'react-aria-components';

interface TextInputProps extends Omit<TextFieldProps, 'children' | 'className' | 'spellCheck'> {
  readonly label: string;
  readonly hint?: string;
  /** An error from the server for this field; the field shows it and is marked invalid. */
  readonly error?: string | undefined;
  readonly inputMode?: 'text' | 'numeric' | 'email' | 'tel';
  readonly spellCheck?: boolean;
  readonly autoFocus?: boolean;
}

export function TextInput({ label, hint, error, inputMode, spellCheck, ...props }: TextInputProps) {
  return (
    <TextField className="field" {...props} isInvalid={error !== undefined || props.isInvalid}>
      <Label className="field-label">{label}</Label>
      <Input className="field-input" inputMode={inputMode} spellCheck={spellCheck} />
      {hint ? <Text slot="description" className="field-hint">{hint}</Text> : null}
      <FieldError className="field-error">{error}</FieldError>
    </TextField>
  );
}

/**
 * A one-time code field: digits on a phone's keypad, the browser may fill a texted code in. Spaces
 * and dashes typed or pasted are dropped before the code is sent ({@link normalizeCode}).
 */
export function CodeInput(props: Omit<TextInputProps, 'inputMode' | 'autoComplete' | 'spellCheck'> & { readonly numeric?: boolean }) {
  const { numeric = true, ...rest } = props;
  return <TextInput {...rest} inputMode={numeric ? 'numeric' : 'text'} autoComplete="one-time-code" spellCheck={false} />;
}

/** The client package's one rule for a typed code (the sign-in steps apply it themselves). */
export { normalizeCode } from '@twofold/client';

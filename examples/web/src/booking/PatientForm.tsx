import type { PatientInput, ReservationDetailsFragment } from '@varden/booking-sdk';
import { validatePatient } from '@varden/booking-sdk';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { BookingFlow, FieldProblem } from './useBookingFlow.js';

type FieldName = keyof PatientInput;

interface FieldSpec {
  name: FieldName;
  label: string;
  hint?: string;
  autoComplete: string;
  type?: 'email' | 'tel';
  inputMode?: 'numeric';
  optional?: boolean;
}

const fields: readonly FieldSpec[] = [
  {
    name: 'personalIdentityNumber',
    label: 'Personnummer',
    hint: '12 digits, e.g. 19900101-0017; a samordningsnummer works too',
    autoComplete: 'off',
    inputMode: 'numeric',
  },
  { name: 'givenName', label: 'Given name', autoComplete: 'given-name' },
  { name: 'familyName', label: 'Family name', autoComplete: 'family-name' },
  {
    name: 'email',
    label: 'Email',
    hint: 'For the clinic’s confirmation',
    autoComplete: 'email',
    type: 'email',
    optional: true,
  },
  { name: 'phone', label: 'Mobile phone', autoComplete: 'tel', type: 'tel', optional: true },
];

/**
 * The API and `validatePatient` name a field by its input path, e.g. `patient.givenName`, and
 * say what is wrong with it as a predicate (`must not be empty`), shown after the field's label.
 */
const fieldOf = (problem: FieldProblem | null) => problem?.field.replace(/^patient\./, '');

/**
 * Who the appointment is for. The SDK's `validatePatient` runs the server's own checks before
 * anything is sent: a bad field is shown beside it and no confirmation leaves the page. A field
 * the API still refuses comes back from the booking flow and is shown the same way.
 */
export function PatientForm(props: {
  reservation: ReservationDetailsFragment;
  flow: BookingFlow;
  initial: Partial<Record<FieldName, string>>;
  busy: boolean;
}) {
  const { flow } = props;
  const [values, setValues] = useState<Record<FieldName, string>>({
    personalIdentityNumber: '',
    givenName: '',
    familyName: '',
    email: '',
    phone: '',
    ...props.initial,
  });
  const [ownProblem, setOwnProblem] = useState<FieldProblem | null>(null);
  const problem = ownProblem ?? flow.fieldProblem;
  const problemField = fieldOf(problem);
  const inputs = useRef<Partial<Record<string, HTMLInputElement | null>>>({});

  useEffect(() => {
    if (problemField) inputs.current[problemField]?.focus();
  }, [problemField]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const patient: PatientInput = {
      personalIdentityNumber: values.personalIdentityNumber.trim(),
      givenName: values.givenName.trim(),
      familyName: values.familyName.trim(),
      email: values.email.trim() || null,
      phone: values.phone.trim() || null,
    };
    const check = validatePatient(patient);
    if (!check.ok) {
      setOwnProblem({ field: check.field, message: check.message });
      return;
    }
    setOwnProblem(null);
    void flow.confirm(props.reservation, patient);
  }

  function change(name: FieldName, value: string) {
    setValues((previous) => ({ ...previous, [name]: value }));
    if (problemField === name) {
      setOwnProblem(null);
      flow.clearFieldProblem();
    }
  }

  return (
    <form className="patient-form" onSubmit={submit} noValidate>
      {fields.map((field) => {
        const id = `patient-${field.name}`;
        const invalid = problemField === field.name;
        const described = [field.hint && `${id}-hint`, invalid && `${id}-error`]
          .filter(Boolean)
          .join(' ');
        return (
          <div className="field" key={field.name}>
            <label htmlFor={id}>
              {field.label}
              {field.optional && <span className="optional"> (optional)</span>}
            </label>
            {field.hint && (
              <p className="hint" id={`${id}-hint`}>
                {field.hint}
              </p>
            )}
            <input
              id={id}
              name={field.name}
              ref={(element) => {
                inputs.current[field.name] = element;
              }}
              type={field.type ?? 'text'}
              inputMode={field.inputMode}
              autoComplete={field.autoComplete}
              required={!field.optional}
              value={values[field.name] ?? ''}
              onChange={(event) => change(field.name, event.target.value)}
              aria-invalid={invalid || undefined}
              aria-describedby={described || undefined}
            />
            {invalid && problem && (
              <p className="field-error" id={`${id}-error`} role="alert">
                {field.label} {problem.message}
              </p>
            )}
          </div>
        );
      })}
      <div className="actions">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.busy ? 'Confirming…' : 'Confirm booking'}
        </button>
        <button type="button" onClick={() => void flow.abandon()} disabled={props.busy}>
          Choose another time
        </button>
      </div>
    </form>
  );
}

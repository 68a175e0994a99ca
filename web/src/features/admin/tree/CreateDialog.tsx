/**
 * The small form behind "Create group", "Create technician", "Create administrator" and "Create
 * Master Administrator": a name (and an email for a member, who is then emailed an invitation), sent
 * to the API; a refusal is shown by its problem code in the viewer's language, next to its field.
 */
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Dialog, Form, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ApiProblem } from '../../../api/problem.ts';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { TextInput } from '../../../components/TextInput.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import type { MessageId } from '../../../i18n/messages.ts';
import { errorMessage } from '../../../i18n/errors.ts';
import type { NodeKind } from '../paths.ts';
import { createItem, type CreateKind, type CreateTarget } from './treeWrites.ts';

const TITLES: Record<CreateKind, MessageId> = {
  group: 'adminTree.create.groupTitle',
  'administrator-group': 'adminTree.create.groupTitle',
  technician: 'adminTree.create.technicianTitle',
  administrator: 'adminTree.create.administratorTitle',
  master: 'adminTree.create.masterTitle',
};

const NODE_KIND: Record<CreateKind, NodeKind> = {
  group: 'group', 'administrator-group': 'administrator-group', technician: 'member', administrator: 'member', master: 'member',
};

interface Props {
  readonly target: CreateTarget;
  readonly onClose: () => void;
  readonly onCreated: (created: { id: string; name: string; kind: NodeKind }) => void;
}

export function CreateDialog({ target, onClose, onCreated }: Props) {
  const t = useT();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const isMember = target.kind === 'technician' || target.kind === 'administrator' || target.kind === 'master';
  const create = useMutation({
    mutationFn: () => createItem({ kind: target.kind, name: name.trim(), email: email.trim(), parentId: target.parentId }),
    onSuccess: (created) => onCreated({ id: created.id, name: name.trim(), kind: NODE_KIND[target.kind] }),
  });
  const problem = create.error instanceof ApiProblem ? create.error : null;
  const fieldError = (field: string): string | undefined => {
    if (!problem) return undefined;
    const named = problem.problem.errors?.some((error) => error.field === `body/${field}`) || problem.problem.field === field;
    return named ? t('adminTree.invalid') : undefined;
  };
  const message = create.error ? errorMessage(create.error) : null;
  // A refusal's marks go as soon as the field is changed: the field is then judged again on sending.
  const edit = (set: (value: string) => void) => (value: string) => {
    set(value);
    if (create.error) create.reset();
  };

  return (
    <ModalOverlay isOpen onOpenChange={(open) => { if (!open) onClose(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{t(TITLES[target.kind])}</Heading>
          {target.parentName ? <p className="hint">{t('adminTree.create.groupIn', { parent: target.parentName })}</p> : null}
          <Form className="form" validationBehavior="aria" onSubmit={submitOnce(create.isPending, () => create.mutate())}>
            <TextInput label={t('adminTree.create.name')} value={name} onChange={edit(setName)} isRequired autoFocus error={fieldError('name')} />
            {isMember ? (
              <>
                <TextInput label={t('adminTree.create.email')} type="email" value={email} onChange={edit(setEmail)} isRequired error={fieldError('email')} />
                <p className="hint">{t('adminTree.create.invitation')}</p>
              </>
            ) : null}
            <ErrorAlert message={message ? t(message.id, message.values) : null} />
            <div className="actions">
              <PrimaryButton isPending={create.isPending}>{t('adminTree.create.submit')}</PrimaryButton>
              <SecondaryButton onPress={onClose}>{t('adminTree.cancel')}</SecondaryButton>
            </div>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/**
 * "Move to…" and "Assign to technician group…", the keyboard's way to do what dragging a row onto a
 * technician group does: the group picker (it searches the groups while typing, so it answers at any
 * size), each group shown with the groups above it.
 */
import { useState } from 'react';
import { Dialog, Form, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { GroupPicker, type PickedGroup } from './GroupPicker.tsx';
import type { TreeRow } from './treeModel.ts';

interface Props {
  readonly row: TreeRow;
  readonly onClose: () => void;
  readonly onChosen: (group: { id: string; name: string }) => void;
}

export function MoveDialog({ row, onClose, onChosen }: Props) {
  const t = useT();
  const [chosen, setChosen] = useState<PickedGroup | null>(null);
  const assign = row.item.type === 'member' && row.item.placement === 'administrator';

  return (
    <ModalOverlay isOpen onOpenChange={(open) => { if (!open) onClose(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{t(assign ? 'adminTree.move.assignTitle' : 'adminTree.move.title', { name: row.name })}</Heading>
          <Form className="form" onSubmit={submitOnce(false, () => { if (chosen) onChosen(chosen); })}>
            <GroupPicker
              label={t('adminTree.move.group')}
              hint={t('adminTree.move.groupHint')}
              value={chosen}
              onChange={setChosen}
              excludeId={row.item.type === 'group' ? row.item.id : null}
              autoFocus
            />
            <div className="actions">
              <PrimaryButton isDisabled={!chosen}>{t(assign ? 'adminTree.move.assignSubmit' : 'adminTree.move.submit')}</PrimaryButton>
              <SecondaryButton onPress={onClose}>{t('adminTree.cancel')}</SecondaryButton>
            </div>
          </Form>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

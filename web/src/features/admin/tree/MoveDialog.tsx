/**
 * "Move to…" and "Assign to technician group…", the keyboard's way to do what dragging a row onto a
 * technician group does: a combo box that searches the groups while typing (the same search as the
 * tree's, so it answers at any size), each shown with the groups above it.
 */
import { useState } from 'react';
import { ComboBox, Dialog, Form, Heading, Input, Label, ListBox, ListBoxItem, Modal, ModalOverlay, Popover, Text, type Key } from 'react-aria-components';
import { PrimaryButton, SecondaryButton, submitOnce } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import type { TreeRow } from './treeModel.ts';
import { useTreeSearch } from './useTreeData.ts';

interface GroupOption { readonly id: string; readonly name: string; readonly where: string }

interface Props {
  readonly row: TreeRow;
  readonly onClose: () => void;
  readonly onChosen: (group: { id: string; name: string }) => void;
}

export function MoveDialog({ row, onClose, onChosen }: Props) {
  const t = useT();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<{ id: string; name: string } | null>(null);
  const search = useTreeSearch(text);
  const ownId = row.item.type === 'group' ? row.item.id : null;
  const groups = (text.trim() === '' ? [] : search.data ?? [])
    .filter((hit) => hit.kind === 'group' && hit.id !== ownId && !hit.path.some((group) => group.id === ownId))
    .map((hit): GroupOption => ({ id: hit.id, name: hit.name, where: hit.path.map((group) => group.name).join(' › ') }));
  const assign = row.item.type === 'member' && row.item.placement === 'administrator';

  const onSelectionChange = (key: Key | null) => {
    const group = groups.find((candidate) => candidate.id === key) ?? null;
    setChosen(group);
    if (group) setText(group.name);
  };

  return (
    <ModalOverlay isOpen onOpenChange={(open) => { if (!open) onClose(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog className="dialog">
          <Heading slot="title" className="dialog-title">{t(assign ? 'adminTree.move.assignTitle' : 'adminTree.move.title', { name: row.name })}</Heading>
          <Form className="form" onSubmit={submitOnce(false, () => { if (chosen) onChosen(chosen); })}>
            <ComboBox
              className="field"
              inputValue={text}
              onInputChange={(value) => { setText(value); if (chosen && value !== chosen.name) setChosen(null); }}
              selectedKey={chosen?.id ?? null}
              onSelectionChange={onSelectionChange}
              items={groups}
              menuTrigger="input"
              allowsEmptyCollection
              autoFocus
            >
              <Label className="field-label">{t('adminTree.move.group')}</Label>
              <Input className="field-input" />
              <Text slot="description" className="field-hint">{t('adminTree.move.groupHint')}</Text>
              <Popover className="popover" placement="bottom start">
                <ListBox<GroupOption> className="menu" renderEmptyState={() => <p className="tree-empty">{search.settled ? t('adminTree.move.none') : t('adminTree.searching')}</p>}>
                  {(group) => (
                    <ListBoxItem id={group.id} textValue={group.name} className="menu-item">
                      <span>{group.name}</span>
                      {group.where ? <span className="menu-item-where"> · {group.where}</span> : null}
                    </ListBoxItem>
                  )}
                </ListBox>
              </Popover>
            </ComboBox>
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

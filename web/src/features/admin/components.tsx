/** Small pieces the Admin Center's panels share: a confirmation dialog, a panel heading, a checkbox. */
import type { ReactNode } from 'react';
import { Checkbox, Dialog, Heading, Modal, ModalOverlay, type CheckboxProps } from 'react-aria-components';
import { PrimaryButton, SecondaryButton } from '../../components/Buttons.tsx';

interface ConfirmProps {
  readonly isOpen: boolean;
  readonly title: string;
  readonly confirmLabel: string;
  readonly cancelLabel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
  readonly children: ReactNode;
}

/** Asks before an action that cannot be undone; Escape or Cancel leaves everything as it was. */
export function ConfirmDialog({ isOpen, title, confirmLabel, cancelLabel, onConfirm, onCancel, children }: ConfirmProps) {
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => { if (!open) onCancel(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title" className="dialog-title">{title}</Heading>
          <div className="dialog-body">{children}</div>
          <div className="actions">
            <PrimaryButton type="button" onPress={onConfirm}>{confirmLabel}</PrimaryButton>
            <SecondaryButton autoFocus onPress={onCancel}>{cancelLabel}</SecondaryButton>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

export function PanelHeading({ children }: { children: ReactNode }) {
  return <h2 className="panel-heading">{children}</h2>;
}

/** A labelled checkbox drawn as the site draws them: the box shows a tick when selected. */
export function CheckField({ children, ...props }: Omit<CheckboxProps, 'children' | 'className'> & { children: ReactNode }) {
  return (
    <Checkbox className="checkbox" {...props}>
      {({ isSelected }) => (
        <>
          <span className="checkbox-box" aria-hidden="true">{isSelected ? '✓' : ''}</span>
          {children}
        </>
      )}
    </Checkbox>
  );
}

/**
 * "Force two-step verification reset" for the members selected in the tree: a confirmation that
 * names how many, then the result as one sentence for the tree's notice (how many were reset, how
 * many of them had it set up, and who was refused with why).
 */
import { useMutation } from '@tanstack/react-query';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { ApiProblem } from '../../../api/problem.ts';
import { ErrorAlert } from '../../../components/Alert.tsx';
import { PrimaryButton, SecondaryButton } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import type { TreeRow } from './treeModel.ts';
import { resetMembers } from './treeWrites.ts';

interface Props {
  readonly rows: readonly TreeRow[];
  readonly onClose: () => void;
  readonly onDone: (summary: string) => void;
}

export function ResetDialog({ rows, onClose, onDone }: Props) {
  const t = useT();
  const ids = [...new Set(rows.flatMap((row) => (row.target ? [row.target.id] : [])))];
  const names = new Map(rows.flatMap((row) => (row.target ? [[row.target.id, row.name] as const] : [])));
  const reset = useMutation({
    mutationFn: () => resetMembers(ids),
    onSuccess: (result) => {
      const parts = [t('adminTree.reset.done', { count: result.reset })];
      if (result.reset > 0) parts.push(t('adminTree.reset.hadSetUp', { count: result.hadSetUp }));
      if (result.refused.length > 0) {
        const refused = result.refused.map(({ id, code }) => {
          const message = errorMessage(new ApiProblem({ code, status: 0 }));
          return `${names.get(id) ?? id} (${t(message.id, message.values)})`;
        });
        parts.push(t('adminTree.reset.refused', { count: result.refused.length, names: refused.join(', ') }));
      }
      onDone(parts.join(' '));
    },
  });
  const failure = reset.error ? errorMessage(reset.error) : null;
  return (
    <ModalOverlay isOpen onOpenChange={(open) => { if (!open && !reset.isPending) onClose(); }} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog">
          <Heading slot="title" className="dialog-title">{t('adminTree.reset.title')}</Heading>
          <div className="dialog-body">
            <p>{t('adminTree.reset.warning', { count: ids.length })}</p>
            <ErrorAlert message={failure ? t(failure.id, failure.values) : null} />
          </div>
          <div className="actions">
            <PrimaryButton type="button" isPending={reset.isPending} onPress={() => { if (!reset.isPending) reset.mutate(); }}>
              {t('adminTree.reset.confirm', { count: ids.length })}
            </PrimaryButton>
            <SecondaryButton autoFocus onPress={onClose}>{t('adminTree.cancel')}</SecondaryButton>
          </div>
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

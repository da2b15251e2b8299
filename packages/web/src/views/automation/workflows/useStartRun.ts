import type { WorkflowView } from '@opsline/contracts';
import { useMessage } from 'naive-ui';
import { ref } from 'vue';
import { useI18n } from 'vue-i18n';
import { useRouter } from 'vue-router';
import { startWorkflowRun } from '../../../api/automation';
import { errorText } from '../../../platform/i18n/error-text';
import { workflowRunPath } from '../shared/links';

/** "Run": starts a run of the saved workflow and opens its page. */
export function useStartRun() {
  const { t } = useI18n();
  const message = useMessage();
  const router = useRouter();
  const starting = ref(false);

  async function start(w: Pick<WorkflowView, 'id' | 'name'>): Promise<void> {
    starting.value = true;
    try {
      const run = await startWorkflowRun(w.id);
      message.success(t('automation.workflows.started', { name: w.name }));
      await router.push(workflowRunPath(run.id));
    } catch (err) {
      message.error(errorText(err), { duration: 6000 });
    } finally {
      starting.value = false;
    }
  }

  return { starting, start };
}

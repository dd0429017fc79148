import { ConfirmButton } from '../components/confirm-button.tsx';

interface Props {
  /** What is marked, for the question: "task extract", "this run". */
  readonly what: string;
  readonly onMark: (state: 'success' | 'failed') => Promise<void>;
  readonly testId: string;
}

/** Mark success and mark failed, each asked once more (Airflow's mark, recorded with who did it). */
export function MarkButtons({ what, onMark, testId }: Props) {
  return (
    <>
      <ConfirmButton
        label="Mark success"
        question={`Mark ${what} success?`}
        onConfirm={() => onMark('success')}
        testId={`${testId}-success`}
      />
      <ConfirmButton
        label="Mark failed"
        question={`Mark ${what} failed?`}
        onConfirm={() => onMark('failed')}
        testId={`${testId}-failed`}
      />
    </>
  );
}

import { useNavigate, useParams } from 'react-router';
import { DownloadButtons } from '../../../components/ui/download-buttons.tsx';
import { Card, PageTitle, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { useResume, useUpdateResume } from '../api/resumes.ts';
import { ResumeForm } from './resume-form.tsx';

export function ResumePage() {
  const { id = '' } = useParams();
  const resume = useResume(id);
  const update = useUpdateResume();
  const navigate = useNavigate();
  if (resume.isPending) return <Spinner />;
  if (resume.isError)
    return <QueryError error={resume.error} retry={() => void resume.refetch()} />;
  const r = resume.data;
  return (
    <>
      <PageTitle>{r.name}</PageTitle>
      <Card className="mb-4">
        {/* The stored resume, not the form's unsaved text: save first to download an edit. */}
        <DownloadButtons path={`/resumes/${r.id}/export`} baseName={r.name} label="Download" />
      </Card>
      <Card>
        <ResumeForm
          initial={{
            name: r.name,
            content: r.content,
            focus_area: r.focus_area,
            is_primary: r.is_primary,
          }}
          submitLabel="Save resume"
          onSubmit={async (v) => {
            await update.mutateAsync({ id: r.id, patch: v });
            await navigate('/resumes');
          }}
        />
      </Card>
    </>
  );
}

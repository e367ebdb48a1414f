import { useNavigate } from 'react-router';
import { createApplicationBody } from '../../../../contracts/applications.ts';
import { Card, PageTitle } from '../../../components/ui/feedback.tsx';
import { useCreateApplication } from '../api/applications.ts';
import { ApplicationForm, postingBody } from './application-form.tsx';

export function NewApplicationPage() {
  const create = useCreateApplication();
  const navigate = useNavigate();
  return (
    <>
      <PageTitle>New application</PageTitle>
      <Card>
        <ApplicationForm
          submitLabel="Add application"
          onSubmit={async (v) => {
            // Already valid (the form checked it); parse() fills the API's defaults and types the body.
            const created = await create.mutateAsync(
              createApplicationBody.parse(postingBody(v, false)),
            );
            await navigate(`/applications/${created.id}`);
          }}
        />
      </Card>
    </>
  );
}

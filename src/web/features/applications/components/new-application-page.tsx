import { useState } from 'react';
import { useNavigate } from 'react-router';
import { createApplicationBody } from '../../../../contracts/applications.ts';
import type { JobImport } from '../../../../contracts/imports.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Card, PageTitle } from '../../../components/ui/feedback.tsx';
import { useCreateApplication } from '../api/applications.ts';
import { ApplicationForm, postingBody } from './application-form.tsx';
import { ImportReview, LinkImport } from './import-review.tsx';

export function NewApplicationPage() {
  const create = useCreateApplication();
  const navigate = useNavigate();
  const [imported, setImported] = useState<{ result: JobImport; url: string } | null>(null);
  return (
    <>
      <PageTitle>New application</PageTitle>
      <div className="flex flex-col gap-4">
        <Card>
          <h2 className="mb-2 font-semibold">Import a job posting</h2>
          <LinkImport onImported={(result, url) => setImported({ result, url })} />
        </Card>
        <Card>
          {imported ? (
            <>
              <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
                <h2 className="font-semibold">Review the imported posting</h2>
                <Button size="sm" variant="ghost" onClick={() => setImported(null)}>
                  Discard and fill in by hand
                </Button>
              </div>
              <ImportReview
                key={imported.result.snapshot_id}
                result={imported.result}
                pageUrl={imported.url}
              />
            </>
          ) : (
            <>
              <h2 className="mb-3 font-semibold">Or fill it in yourself</h2>
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
            </>
          )}
        </Card>
      </div>
    </>
  );
}

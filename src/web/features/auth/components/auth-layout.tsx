import type { ReactNode } from 'react';
import { Card } from '../../../components/ui/feedback.tsx';

export function AuthLayout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center p-4">
      <p className="mb-2 text-center text-lg font-semibold">Job Forge</p>
      <Card>
        <h1 className="mb-4 text-xl font-semibold">{title}</h1>
        {children}
      </Card>
    </main>
  );
}

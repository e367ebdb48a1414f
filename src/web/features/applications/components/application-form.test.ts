import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { emptyPosting, postingBody, validatePosting } from './application-form.tsx';

const valid = {
  ...emptyPosting,
  company_name: 'Acme',
  role_title: 'Engineer',
  job_description: 'Build and run the payment platform for millions of customers.',
};

describe('new application form validation (the API schema, in the browser)', () => {
  test('when the required fields are empty, then each says so with the API’s words', () => {
    const errors = validatePosting(emptyPosting);
    assert.equal(errors.company_name, 'is required');
    assert.equal(errors.role_title, 'is required');
    assert.equal(errors.job_description, 'is required');
  });

  test('when the description is short or the link is not http(s), then those fields fail', () => {
    const errors = validatePosting({ ...valid, job_description: 'Too short', job_url: 'ftp://x' });
    assert.equal(errors.job_description, 'must be at least 50 characters');
    assert.equal(errors.job_url, 'must be a valid http(s) URL');
  });

  test('when 50 emoji are typed, then the code-point count passes as the database counts it', () => {
    assert.deepEqual(validatePosting({ ...valid, job_description: '😀'.repeat(50) }), {});
    assert.ok(validatePosting({ ...valid, job_description: '😀'.repeat(49) }).job_description);
  });

  test('when the form is valid, then blank optional fields are left out on create and cleared on edit', () => {
    assert.deepEqual(validatePosting(valid), {});
    const created = postingBody(valid, false);
    assert.ok(!('job_url' in created) && !('location' in created));
    const edited = postingBody(valid, true);
    assert.equal(edited.job_url, null);
    assert.equal(edited.location, null);
  });
});

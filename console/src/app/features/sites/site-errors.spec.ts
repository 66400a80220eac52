import { HttpErrorResponse } from '@angular/common/http';

import { invalidFields } from './site-errors';

const refused = (details: string[]) =>
  new HttpErrorResponse({
    status: 400,
    error: { statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED', message: details[0], details },
  });

describe('the site form’s invalid fields', () => {
  it('maps an origin without a scheme to the origins field', () => {
    const fields = invalidFields(
      refused(['each value in allowedOrigins must be an origin such as https://shop.example']),
    );
    expect([...fields]).toEqual(['origins']);
  });

  it('tells the site name from the assistant’s name, and finds nested widget fields', () => {
    expect([...invalidFields(refused(['name must not be blank']))]).toEqual(['name']);
    expect([
      ...invalidFields(refused(['widget.assistantName must be shorter', 'widget.greeting too long'])),
    ]).toEqual(['assistantName', 'greeting']);
  });

  it('finds nothing in an error that is not a validation failure', () => {
    expect(invalidFields(new Error('offline')).size).toBe(0);
    expect(invalidFields(new HttpErrorResponse({ status: 500 })).size).toBe(0);
  });
});

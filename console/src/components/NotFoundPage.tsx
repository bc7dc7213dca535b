// What an unknown console path shows: a header and a way back, never a blank page.
import { useNavigate } from 'react-router-dom';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import { EmptyState } from './PageState.tsx';

export function NotFoundPage() {
  const navigate = useNavigate();
  return (
    <ContentLayout header={<Header variant="h1">Page not found</Header>}>
      <EmptyState
        title="There is nothing at this address"
        description="The link may be old, or the page may have moved."
        action={<Button onClick={() => navigate('/personalities')}>Go to personalities</Button>}
      />
    </ContentLayout>
  );
}
